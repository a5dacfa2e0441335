//! `review --format jsonl`: one review per input line, written in input order, reviewed on
//! every core.
//!
//! A script that checks a team's whole backlog, or a CI job over thousands of drafts, waits on
//! this path, so it keeps the machine busy: the main thread reads lines into batches and writes
//! the results back in order while worker threads review. The workers live for the whole run,
//! so what they remember per thread (the spelling memo) keeps paying off. One job (`--jobs 1`,
//! or a single core) reviews on the main thread with no threads at all.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::{mpsc, Mutex};

use super::review::{parse_line, ReviewError};
use crate::review::{render, review, History, Settings, Verdict, WARM_UP};

/// Lines per batch: large enough that handing a batch over costs nothing next to reviewing
/// it, small enough that the first results are written at once.
const BATCH_LINES: usize = 256;

/// Batches handed out and not yet written, per worker: enough to keep every worker busy while
/// the main thread writes, few enough that memory stays bounded whatever the input's length.
const IN_FLIGHT_PER_JOB: usize = 4;

/// Raw input lines, numbered from `first_line` (1-based), as read: decoding and parsing are the
/// workers' job.
struct Batch {
    seq: usize,
    first_line: usize,
    data: Vec<u8>,
    /// Where each line ends in `data` (exclusive, newline removed).
    ends: Vec<usize>,
}

/// A batch's output: its JSON lines, and whether one of its tweets is blocked.
struct Done {
    seq: usize,
    out: Vec<u8>,
    blocked: bool,
}

/// The review of one input line, serialised with its newline into `out`: the review, or
/// `{"error": …}` saying why the line could not be read. Returns whether it is blocked.
pub(super) fn review_line(
    line: Result<&str, String>,
    settings: &Settings,
    history: &History,
    out: &mut Vec<u8>,
) -> Result<bool, ReviewError> {
    let r = line
        .and_then(parse_line)
        .map(|t| review(&t, settings, history));
    let blocked = match r {
        Ok(r) => {
            render::json_into(&r, out);
            r.verdict == Verdict::Blocked
        }
        Err(e) => {
            serde_json::to_writer(&mut *out, &serde_json::json!({ "error": e }))
                .map_err(|e| ReviewError::Write(e.into()))?;
            false
        }
    };
    out.push(b'\n');
    Ok(blocked)
}

/// Decode line `line_no` of the input: UTF-8, its line ending removed.
fn decode(raw: &[u8], line_no: usize) -> Result<&str, String> {
    match std::str::from_utf8(raw) {
        Ok(s) => Ok(s.trim_end_matches(['\n', '\r'])),
        Err(_) => Err(format!("line {line_no} is not valid UTF-8")),
    }
}

fn review_batch(
    batch: &Batch,
    settings: &Settings,
    history: &History,
) -> Result<Done, ReviewError> {
    let mut out = Vec::with_capacity(batch.ends.len() * 512);
    let mut blocked = false;
    let mut start = 0;
    for (i, &end) in batch.ends.iter().enumerate() {
        let line = decode(&batch.data[start..end], batch.first_line + i);
        blocked |= review_line(line, settings, history, &mut out)?;
        start = end;
    }
    Ok(Done {
        seq: batch.seq,
        out,
        blocked,
    })
}

/// Append the next line of `input` (its newline kept) to `buf`; false at the end.
fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>) -> Result<bool, ReviewError> {
    let n = input
        .read_until(b'\n', buf)
        .map_err(|source| ReviewError::Read {
            what: "standard input".into(),
            source,
        })?;
    Ok(n > 0)
}

/// Read up to [`BATCH_LINES`] lines; `None` at the end of the input.
fn read_batch(
    input: &mut dyn BufRead,
    seq: usize,
    first_line: usize,
) -> Result<Option<Batch>, ReviewError> {
    let mut batch = Batch {
        seq,
        first_line,
        data: Vec::new(),
        ends: Vec::with_capacity(BATCH_LINES),
    };
    while batch.ends.len() < BATCH_LINES && read_line(input, &mut batch.data)? {
        batch.ends.push(batch.data.len());
    }
    Ok((!batch.ends.is_empty()).then_some(batch))
}

/// Review every line of `input` into `out`, in order, with `jobs` workers. Returns whether any
/// reviewed tweet is blocked.
pub(super) fn run(
    settings: &Settings,
    history: &History,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    jobs: usize,
) -> Result<bool, ReviewError> {
    if jobs <= 1 {
        return run_here(settings, history, input, out);
    }
    let (to_workers, batches) = mpsc::channel::<Batch>();
    let batches = Mutex::new(batches);
    let (to_main, results) = mpsc::channel::<Result<Done, ReviewError>>();
    std::thread::scope(|scope| {
        for k in 0..jobs {
            let (batches, to_main) = (&batches, to_main.clone());
            scope.spawn(move || {
                // The engine's tables, built side by side rather than in the first review.
                WARM_UP.iter().skip(k).step_by(jobs).for_each(|load| load());
                work(batches, &to_main, settings, history);
            });
        }
        drop(to_main);
        // Dropping the sender on every way out (an error included) lets the workers finish.
        let result = feed_and_write(input, out, to_workers, &results, jobs);
        drop(results);
        result
    })
}

/// A worker's loop: take a batch, review it, hand the result back, until the batches end.
fn work(
    batches: &Mutex<mpsc::Receiver<Batch>>,
    to_main: &mpsc::Sender<Result<Done, ReviewError>>,
    settings: &Settings,
    history: &History,
) {
    loop {
        // The lock is held only to take the next batch, never while reviewing.
        let next = match batches.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(batch) = next else { return };
        if to_main
            .send(review_batch(&batch, settings, history))
            .is_err()
        {
            return;
        }
    }
}

/// The main thread's part: hand batches out, and write results back in input order.
fn feed_and_write(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    to_workers: mpsc::Sender<Batch>,
    results: &mpsc::Receiver<Result<Done, ReviewError>>,
    jobs: usize,
) -> Result<bool, ReviewError> {
    let mut pending: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next_to_write = 0;
    let mut sent = 0;
    let mut line = 1;
    let mut blocked = false;
    let mut eof = false;
    loop {
        while !eof && sent - next_to_write < jobs * IN_FLIGHT_PER_JOB {
            match read_batch(input, sent, line)? {
                Some(batch) => {
                    line += batch.ends.len();
                    sent += 1;
                    if to_workers.send(batch).is_err() {
                        break;
                    }
                }
                None => eof = true,
            }
        }
        if next_to_write == sent {
            return Ok(blocked);
        }
        let done = results
            .recv()
            .map_err(|_| ReviewError::Usage("a review worker stopped".into()))??;
        pending.insert(done.seq, done);
        while let Some(done) = pending.remove(&next_to_write) {
            blocked |= done.blocked;
            out.write_all(&done.out).map_err(ReviewError::Write)?;
            next_to_write += 1;
        }
    }
}

/// One job: every line reviewed on this thread, written as soon as it is reviewed.
fn run_here(
    settings: &Settings,
    history: &History,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<bool, ReviewError> {
    let mut blocked = false;
    // Each line is serialised into one reused buffer, then written at once: many small writes
    // through `dyn Write` cost more than the review itself.
    let mut line_buf: Vec<u8> = Vec::with_capacity(4096);
    let mut raw = Vec::new();
    let mut line_no = 0usize;
    loop {
        raw.clear();
        if !read_line(input, &mut raw)? {
            return Ok(blocked);
        }
        line_no += 1;
        line_buf.clear();
        blocked |= review_line(decode(&raw, line_no), settings, history, &mut line_buf)?;
        out.write_all(&line_buf).map_err(ReviewError::Write)?;
    }
}

/// How many workers by default: one per core the process may use.
pub(super) fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
