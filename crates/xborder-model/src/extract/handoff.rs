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

use std::sync::mpsc::{self, Receiver, SyncSender};

use crate::diag::Diagnostic;
use crate::node::{ItemSink, Node, ParseLimits, Section};

use super::{MapReader, Syntax};

/// Items handed over at once: enough to make a handover rare (at 256, the two threads
/// switched 4,500 times over a million flows; at 2,048, about 600), few enough to keep the
/// nodes in flight (those of a few batches, some megabytes) small.
const BATCH: usize = 2048;

/// Batches the parser may be ahead of the extractor.
const AHEAD: usize = 4;

/// One item of a streamed section, as the parser read it.
enum Piece {
    Entry(Node, Node),
    Item(Node),
}

/// Parses `text` on this thread while `reader` extracts the streamed sections on another;
/// returns the tree of the rest of the document (or the syntax error) and the reader.
pub(super) fn read(
    syntax: Syntax,
    text: &str,
    mut reader: MapReader,
) -> (Result<Node, Diagnostic>, MapReader) {
    let (to_extractor, batches) = mpsc::sync_channel::<Vec<Piece>>(AHEAD);
    // Unbounded, so that the extractor never waits for the parser to take a batch back.
    let (read_back, returned) = mpsc::channel::<Vec<Piece>>();
    std::thread::scope(|scope| {
        let extractor = scope.spawn(move || {
            for batch in batches {
                for piece in &batch {
                    match piece {
                        Piece::Entry(key, value) => reader.entry(key, value),
                        Piece::Item(item) => reader.item(item),
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
        let full = std::mem::replace(&mut self.batch, next);
        if let Some(to_extractor) = &self.to_extractor {
            // An extractor that has stopped has panicked: the join passes its panic on.
            let _ = to_extractor.send(full);
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
        self.push(Piece::Item(item));
    }
}
