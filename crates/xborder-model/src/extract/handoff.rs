//! The parser on this thread, the extractor on another: the entities and flows the parser
//! reads are handed over in batches and checked on a second core while the parser goes on.
//!
//! Reading a large map is two kinds of work of about the same size: parsing the text into
//! located nodes, and checking each entity and flow into the model. One after the other they
//! took one core; side by side they take two. The extractor gets the items in file order, so
//! what it makes, diagnostics included, is what it would make on one thread. It sends each
//! batch back once read, and the nodes are freed where they were made: the allocator frees
//! on the thread that allocated. The keys every item shares ([`crate::node::key_text`]) are
//! kept for the process's life and never counted, so both threads read them freely.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

use crate::diag::{Diagnostic, Loc};
use crate::json::JsonItem;
use crate::node::{ItemSink, Node, ParseLimits, Section};

use super::{Cx, FlowReading, MapReader, RawFlow, Syntax};

/// Items handed over at once: enough to make a handover rare (at 256, the two threads
/// switched 4,500 times over a million flows; at 2,048, about 600), few enough to keep the
/// nodes in flight (those of a few batches, some megabytes) small.
const BATCH: usize = 2048;

/// Batches the parser may be ahead of the extractor.
const AHEAD: usize = 4;

/// One item of a streamed section, as the parser read it.
enum Piece {
    Entry(Node, Node),
    /// The flow item numbered `index`.
    Item {
        index: usize,
        node: Node,
    },
    /// A flow item the parser's thread read into a flow itself (see [`Handoff::send`]).
    Read(Box<ReadFlow>),
}

/// A flow item as the parser's thread read it, with what it found wrong in it, in the order
/// the extractor would have found it. Boxed, so that the pieces of a batch stay the size of
/// a node pair; the box goes back with the batch and is freed where it was made.
struct ReadFlow {
    index: usize,
    flow: Option<RawFlow>,
    diagnostics: Vec<Diagnostic>,
    loc: Loc,
    /// The flow's `mechanisms`, still to be read (a flow read from the text).
    mechanisms: Option<Node>,
}

impl ReadFlow {
    /// Reads the flow's mechanisms when they are still to be read (a flow read from the
    /// text), with `cx`, on whichever thread gets to them first; what they say goes after
    /// the flow's own diagnostics. The node stays, to be freed with its batch on the thread
    /// that made it.
    fn read_mechanisms(&mut self, cx: &mut Cx) {
        if let (Some(flow), Some(node)) = (&mut self.flow, &self.mechanisms) {
            let before = cx.diagnostics.len();
            flow.terms.mechanisms = cx.mechanisms(node);
            self.diagnostics.extend(cx.diagnostics.drain(before..));
        }
    }
}

/// Parses `text` on this thread while `reader` extracts the streamed sections on another;
/// returns the tree of the rest of the document (or the syntax error) and the reader.
/// `reading` says how the flow items are read (the tests and the `map_loader` fuzz target
/// compare the ways: the same map and diagnostics whatever the text).
pub(super) fn read(
    syntax: Syntax,
    text: &str,
    mut reader: MapReader,
    reading: FlowReading,
) -> (Result<Node, Diagnostic>, MapReader) {
    let flows = Cx::sharing(&reader.cx);
    let (to_extractor, batches) = mpsc::sync_channel::<Vec<Piece>>(AHEAD);
    // Unbounded, so that the extractor never waits for the parser to take a batch back.
    let (read_back, returned) = mpsc::channel::<Vec<Piece>>();
    std::thread::scope(|scope| {
        let extractor = scope.spawn(move || {
            for mut batch in batches {
                for piece in &mut batch {
                    match piece {
                        Piece::Entry(key, value) => reader.entry(key, value),
                        Piece::Item { index, node } => reader.item(*index, node),
                        Piece::Read(read) => {
                            read.read_mechanisms(&mut reader.cx);
                            reader.read_item(
                                read.index,
                                read.flow.take(),
                                std::mem::take(&mut read.diagnostics),
                                read.loc,
                            );
                        }
                    }
                }
                // The parser has stopped listening only once the parse is over.
                let _ = read_back.send(batch);
            }
            reader
        });
        let mut handoff = Handoff {
            claimed: [false; 2],
            batch: Vec::with_capacity(BATCH),
            to_extractor: Some(to_extractor),
            returned: Some(returned),
            flows,
            flow_items: 0,
            read_here: matches!(reading, FlowReading::Ahead | FlowReading::AheadFromNodes),
            in_place: matches!(reading, FlowReading::Usual | FlowReading::Ahead),
        };
        let parsed = match syntax {
            Syntax::Yaml => {
                crate::node::parse_yaml_streaming(text, ParseLimits::default(), &mut handoff)
            }
            Syntax::Json => {
                crate::json::parse_json_streaming(text, ParseLimits::default(), &mut handoff)
            }
        };
        handoff.send();
        // Ends the extractor's loop once it has read every batch.
        handoff.to_extractor = None;
        let reader = match extractor.join() {
            Ok(reader) => reader,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (parsed, reader)
    })
}

/// The sink the parser hands items to: it claims the sections and sends their items on.
/// Only the first occurrence of each section is claimed: a repeated root key is reported by
/// the walk of the tree and its value ignored, as for any other key.
#[derive(Default)]
struct Handoff {
    /// Whether `entities` and `flows` have been claimed.
    claimed: [bool; 2],
    batch: Vec<Piece>,
    to_extractor: Option<SyncSender<Vec<Piece>>>,
    /// Batches the extractor has read, to be freed here.
    returned: Option<Receiver<Vec<Piece>>>,
    /// What reads flow items into flows on this thread when the extractor is behind: the
    /// same vocabulary, its own diagnostics (handed on with each flow).
    flows: Cx,
    /// Flow items handed over so far: the number of the next, the `flow` number of the
    /// result contract (the one count of them).
    flow_items: usize,
    /// Read every flow item on this thread (tests).
    read_here: bool,
    /// Read a JSON map's flow items straight from the text where they allow it
    /// ([`Cx::json_flow`]), on this thread: what makes the items' nodes, reads them and
    /// frees them is about half of loading a large JSON map.
    in_place: bool,
}

impl Handoff {
    fn push(&mut self, piece: Piece) {
        self.batch.push(piece);
        if self.batch.len() == BATCH {
            self.send();
        }
    }

    /// Sends the batch so far, and takes a read batch back, when there is one, to free its
    /// nodes and fill it next.
    ///
    /// When the extractor is [`AHEAD`] batches behind, this thread reads the batch's flow
    /// items into flows itself (and the mechanisms of the flows it read from the text)
    /// before it waits to send it, rather than only wait. Reading a
    /// JSON map's text is the lighter half of loading it: its thread waited half the time
    /// for the extractor. The extractor then only resolves those flows, and the two halves
    /// even out whatever the file; a YAML map, whose parsing is the heavier half, is never
    /// ahead and is read as before.
    fn send(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let next = match self.returned.as_ref().map(Receiver::try_recv) {
            Some(Ok(mut read)) => {
                read.clear();
                read
            }
            _ => Vec::with_capacity(BATCH),
        };
        let mut full = std::mem::replace(&mut self.batch, next);
        let Some(to_extractor) = &self.to_extractor else {
            return;
        };
        if self.read_here {
            read_flows(&mut self.flows, &mut full);
        }
        // An extractor that has stopped has panicked: the join passes its panic on.
        if let Err(TrySendError::Full(mut full)) = to_extractor.try_send(full) {
            read_flows(&mut self.flows, &mut full);
            let _ = to_extractor.send(full);
        }
    }
}

/// The flow items of `batch` read into flows on this thread, each with its diagnostics, and
/// the mechanisms of the flows read from the text, which are otherwise read on the other.
fn read_flows(cx: &mut Cx, batch: &mut [Piece]) {
    for piece in batch {
        match piece {
            Piece::Item { index, node } => {
                let flow = cx.flow_item(*index, node);
                let loc = node.loc;
                *piece = Piece::Read(Box::new(ReadFlow {
                    index: *index,
                    flow,
                    diagnostics: std::mem::take(&mut cx.diagnostics),
                    loc,
                    mechanisms: None,
                }));
            }
            Piece::Read(read) => {
                read.read_mechanisms(cx);
                // Read: the extractor has nothing more to do with them.
                read.mechanisms = None;
            }
            Piece::Entry(..) => {}
        }
    }
}

impl ItemSink for Handoff {
    fn section(&mut self, key: &str) -> Option<Section> {
        let (slot, section) = match key {
            "entities" => (0, Section::Entities),
            "flows" => (1, Section::Flows),
            _ => return None,
        };
        (!std::mem::replace(&mut self.claimed[slot], true)).then_some(section)
    }

    fn entry(&mut self, key: Node, value: Node) {
        self.push(Piece::Entry(key, value));
    }

    fn item(&mut self, item: Node) {
        let index = self.flow_items;
        self.flow_items += 1;
        self.push(Piece::Item { index, node: item });
    }

    fn json_item(&mut self, item: &mut JsonItem<'_, '_, '_>) -> bool {
        if !self.in_place {
            return false;
        }
        let index = self.flow_items;
        let loc = item.loc();
        let Some((flow, mechanisms)) = self.flows.json_flow(index, loc, item) else {
            return false;
        };
        self.flow_items += 1;
        #[cfg(test)]
        tests::READ_IN_PLACE.with(|read| read.set(read.get() + 1));
        self.push(Piece::Read(Box::new(ReadFlow {
            index,
            flow: Some(flow),
            diagnostics: Vec::new(),
            loc,
            mechanisms,
        })));
        true
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use crate::extract::{FlowReading, Syntax, load_reading};
    use crate::vocabulary::Vocabulary;

    thread_local! {
        /// The flow items read from the text on this thread.
        pub(super) static READ_IN_PLACE: Cell<usize> = const { Cell::new(0) };
    }

    #[test]
    fn plain_flow_items_of_a_json_map_are_read_from_the_text() {
        let text = r#"{"format": 1, "organisation": "Example",
          "entities": {"a": {"name": "A", "kind": "company", "country": "DE"},
                       "b": {"name": "B", "kind": "vendor", "country": "US"}},
          "flows": [
            {"id": "f1", "from": "a", "to": "b", "data": ["name"]},
            {"id": "f2", "from": "a", "to": "b", "data": ["n\u0061me"]},
            {"id": "f3", "from": "a", "to": "b", "data": ["name"], "pia": "2021-01-01"},
            {"id": "f4", "from": "a", "to": "b", "data": ["email"], "roles": "controller->processor"}
          ]}"#;
        let vocabulary = Vocabulary::default();
        let read_in_place = |reading| {
            READ_IN_PLACE.with(|read| read.set(0));
            let _ = load_reading(Syntax::Json, text, &vocabulary, reading);
            READ_IN_PLACE.with(Cell::get)
        };
        // f1 and f4; f2's escape and f3's `pia` are read from their nodes.
        assert_eq!(read_in_place(FlowReading::Usual), 2);
        assert_eq!(read_in_place(FlowReading::Ahead), 2);
        assert_eq!(read_in_place(FlowReading::FromNodes), 0);
        assert_eq!(read_in_place(FlowReading::AheadFromNodes), 0);
        // A YAML map's items are always read from their nodes.
        READ_IN_PLACE.with(|read| read.set(0));
        let _ = load_reading(Syntax::Yaml, text, &vocabulary, FlowReading::Usual);
        assert_eq!(READ_IN_PLACE.with(Cell::get), 0);
    }
}
