//! Pretty JSON with the bytes of `serde_json::to_writer_pretty` (two spaces a level), written
//! so that the long lists of a large result are serialized on every core.
//!
//! A million-flow map's result is over a gigabyte of hops and findings. Written by one
//! serializer it is a single thread's work after judging has ended; here each list is cut into
//! batches, every core serializes batches into buffers (this thread too, between writes), and
//! this thread writes the finished buffers in their order, so the bytes are those of the one-thread writer whatever
//! the number of cores. A few buffers go round: memory stays a few megabytes, however long
//! the list.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

use serde::Serialize;
use serde_json::ser::Formatter;

/// Elements of a list serialized as one batch: a megabyte or so of hops or findings.
const BATCH: usize = 2048;

/// serde_json's `PrettyFormatter` with two spaces a level, starting at a given depth, so that a
/// value serialized on its own prints as it does inside the document.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Self {
        Pretty {
            depth,
            has_value: false,
        }
    }
}

/// Writes `depth` levels of indentation.
fn indent<W: ?Sized + Write>(out: &mut W, depth: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut left = depth * 2;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.write_all(&SPACES[..n])?;
        left -= n;
    }
    Ok(())
}

impl Pretty {
    /// Opens an array or object one level deeper.
    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// Starts an element of an array or a key of an object on a line of its own.
    fn member<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        indent(out, self.depth)
    }

    /// Closes an array or object: an empty one on the same line, else on a line of its own.
    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Serializes `value` as it prints at `depth` in a pretty document.
fn value_at<W: ?Sized + Write>(
    out: &mut W,
    depth: usize,
    value: &impl Serialize,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Pretty::at(depth));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// A JSON object written field by field, in the order the fields are given.
pub struct Object<'w, W: ?Sized + Write> {
    out: &'w mut W,
    depth: usize,
    empty: bool,
}

impl<'w, W: ?Sized + Write> Object<'w, W> {
    /// Starts an object at `depth` (0 for a document).
    pub fn begin(out: &'w mut W, depth: usize) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Object {
            out,
            depth,
            empty: true,
        })
    }

    fn key(&mut self, key: &str) -> io::Result<()> {
        self.out
            .write_all(if self.empty { b"\n" } else { b",\n" })?;
        self.empty = false;
        indent(self.out, self.depth + 1)?;
        value_at(self.out, self.depth + 1, &key)?;
        self.out.write_all(b": ")
    }

    /// A field whose value is serialized here.
    pub fn field(&mut self, key: &str, value: &impl Serialize) -> io::Result<()> {
        self.key(key)?;
        value_at(self.out, self.depth + 1, value)
    }

    /// A field whose value is the list of `each` of `items`, serialized on every core.
    pub fn list<'i, T, S>(
        &mut self,
        key: &str,
        items: &'i [T],
        each: impl Fn(&'i T) -> S + Sync,
    ) -> io::Result<()>
    where
        T: Sync,
        S: Serialize,
    {
        self.list_in_batches(key, items, each, BATCH, xborder_engine::cores())
    }

    fn list_in_batches<'i, T, S>(
        &mut self,
        key: &str,
        items: &'i [T],
        each: impl Fn(&'i T) -> S + Sync,
        batch: usize,
        cores: usize,
    ) -> io::Result<()>
    where
        T: Sync,
        S: Serialize,
    {
        self.key(key)?;
        if items.is_empty() {
            return self.out.write_all(b"[]");
        }
        self.out.write_all(b"[")?;
        let depth = self.depth + 2;
        // Batch `b`: its elements, each after the separator and indentation of its place.
        let render = |b: usize, buffer: &mut Vec<u8>| -> io::Result<()> {
            let start = b * batch;
            for (i, item) in items.iter().enumerate().skip(start).take(batch) {
                buffer.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                indent(buffer, depth)?;
                value_at(buffer, depth, &each(item))?;
            }
            Ok(())
        };
        let batches = items.len().div_ceil(batch.max(1));
        in_batches(self.out, batches, cores, render)?;
        self.out.write_all(b"\n")?;
        indent(self.out, self.depth + 1)?;
        self.out.write_all(b"]")
    }

    /// Ends the object.
    pub fn end(self) -> io::Result<()> {
        if !self.empty {
            self.out.write_all(b"\n")?;
            indent(self.out, self.depth)?;
        }
        self.out.write_all(b"}")
    }
}

/// Renders `batches` batches with `render` on `cores` threads and writes them to `out` in
/// their order. Each worker takes a free buffer, then the next batch; this thread writes the
/// buffers in order and hands them back. A batch is taken only with a buffer in hand, so the
/// batch this thread waits for is always being rendered.
///
/// There is one worker fewer than cores, and this thread renders the next batch itself
/// whenever none is ready to be written: writing to a file is the kernel copying every byte
/// on this one thread (a file takes one write at a time), and a worker on every core took
/// turns with it on the cores, stretching the copy by half; writing to a pipe or
/// `/dev/null` costs nothing, and this thread then renders as much as a worker.
fn in_batches<W: ?Sized + Write>(
    out: &mut W,
    batches: usize,
    cores: usize,
    render: impl Fn(usize, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> io::Result<()> {
    if cores < 2 || batches < 2 {
        let mut buffer = Vec::new();
        for b in 0..batches {
            buffer.clear();
            render(b, &mut buffer)?;
            out.write_all(&buffer)?;
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let (free, free_buffers) = mpsc::channel::<Vec<u8>>();
    let free_buffers = Mutex::new(free_buffers);
    let (finished, rendered) = mpsc::channel::<(usize, io::Result<Vec<u8>>)>();
    for _ in 0..cores * 2 {
        // The receiver is alive: this cannot fail.
        let _ = free.send(Vec::new());
    }
    std::thread::scope(|scope| {
        for _ in 1..cores {
            let finished = finished.clone();
            let (next, free_buffers, render) = (&next, &free_buffers, &render);
            scope.spawn(move || {
                loop {
                    let buffer = match free_buffers.lock() {
                        Ok(buffers) => buffers.recv(),
                        Err(_) => return,
                    };
                    // No buffer: the writer has stopped.
                    let Ok(mut buffer) = buffer else { return };
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b >= batches {
                        return;
                    }
                    buffer.clear();
                    let result = render(b, &mut buffer).map(|()| buffer);
                    if finished.send((b, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(finished);
        let mut waiting: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
        let mut written = 0;
        let result = (|| {
            while written < batches {
                if let Some(buffer) = waiting.remove(&written) {
                    out.write_all(&buffer)?;
                    let _ = free.send(buffer);
                    written += 1;
                    continue;
                }
                match rendered.try_recv() {
                    Ok((b, buffer)) => {
                        waiting.insert(b, buffer?);
                        continue;
                    }
                    Err(mpsc::TryRecvError::Empty) => {}
                    // Every worker has ended: the rest is in `waiting`, or one panicked
                    // and the scope passes its panic on.
                    Err(mpsc::TryRecvError::Disconnected) => break,
                }
                // Nothing to write: render the next batch here, with a free buffer. A
                // worker holding the lock is waiting for a buffer, and none is free.
                let spare = free_buffers
                    .try_lock()
                    .ok()
                    .and_then(|buffers| buffers.try_recv().ok());
                if let Some(mut buffer) = spare {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b < batches {
                        buffer.clear();
                        render(b, &mut buffer)?;
                        waiting.insert(b, buffer);
                        continue;
                    }
                    let _ = free.send(buffer);
                }
                // No buffer is free, or every batch is taken: wait for a worker's.
                match rendered.recv() {
                    Ok((b, buffer)) => {
                        waiting.insert(b, buffer?);
                    }
                    Err(_) => break,
                }
            }
            Ok(())
        })();
        // Stops the workers: no buffer comes back, and nothing more is received.
        drop(free);
        drop(rendered);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_prints_as_serde_json_prints_it() {
        let nested = json!({"a": [1, {"b": [], "c": {}}, "x\ny"], "d": {"e": [[]]}, "f": null});
        let items: Vec<serde_json::Value> = (0..23)
            .map(|i| json!({"n": i, "list": [i, [], {}], "text": format!("é\"{i}")}))
            .collect();
        let expected = serde_json::to_string_pretty(&json!({
            "empty": [],
            "items": items,
            "nested": nested,
        }))
        .expect("serializes");
        for (batch, cores) in [(1, 1), (1, 2), (3, 2), (4, 3), (5, 8), (100, 2)] {
            let mut out = Vec::new();
            let mut doc = Object::begin(&mut out, 0).expect("writes");
            doc.list_in_batches("empty", &[] as &[u8], |n| *n, batch, cores)
                .expect("writes");
            doc.list_in_batches("items", &items, |v| v, batch, cores)
                .expect("writes");
            doc.field("nested", &nested).expect("writes");
            doc.end().expect("writes");
            assert_eq!(
                String::from_utf8(out).expect("UTF-8"),
                expected,
                "batches of {batch} on {cores} cores"
            );
        }
        let mut out = Vec::new();
        Object::begin(&mut out, 0)
            .and_then(Object::end)
            .expect("writes");
        assert_eq!(out, b"{}");
    }

    /// A writer that takes its time over every write, like a file the kernel copies into.
    struct Slow(Vec<u8>);

    impl Write for Slow {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            std::thread::sleep(std::time::Duration::from_micros(200));
            self.0.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn batches_come_out_in_order_whether_writing_or_rendering_is_the_slower() {
        let items: Vec<u32> = (0..5_000).collect();
        let expected =
            serde_json::to_string_pretty(&json!({ "items": items })).expect("serializes");
        for cores in [2, 3, 4] {
            let mut slow = Slow(Vec::new());
            let mut doc = Object::begin(&mut slow, 0).expect("writes");
            doc.list_in_batches("items", &items, |n| *n, 13, cores)
                .expect("writes");
            doc.end().expect("writes");
            assert_eq!(
                String::from_utf8(slow.0).expect("UTF-8"),
                expected,
                "slow writer, {cores} cores"
            );
            let mut fast = Vec::new();
            let mut doc = Object::begin(&mut fast, 0).expect("writes");
            doc.list_in_batches("items", &items, |n| *n, 13, cores)
                .expect("writes");
            doc.end().expect("writes");
            assert_eq!(
                String::from_utf8(fast).expect("UTF-8"),
                expected,
                "fast writer, {cores} cores"
            );
        }
    }

    /// A writer that fails once `room` bytes are written, like a full disk.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if bytes.len() > self.room {
                return Err(io::Error::other("no space left on device"));
            }
            self.room -= bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_stops_the_workers_and_is_returned() {
        let items: Vec<u32> = (0..10_000).collect();
        let mut out = Full { room: 5_000 };
        let mut doc = Object::begin(&mut out, 0).expect("room for the brace");
        let error = doc
            .list_in_batches("items", &items, |n| *n, 7, 2)
            .expect_err("the disk fills up");
        assert_eq!(error.to_string(), "no space left on device");
    }
}
