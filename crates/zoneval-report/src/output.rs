//! The one way zoneval writes files: into a temporary file in the target directory, flushed to
//! disk (fsync), then renamed into place, so a crash or an error never leaves a half-written
//! file and an existing file stays unchanged until the new one is complete.
//!
//! [`write_atomic`] writes one file (`--out`). [`DirWriter`] writes a report directory: a new
//! directory is built as a temporary sibling and renamed into place in one step; into an
//! existing directory every file goes to a temporary file and all are renamed at the end,
//! except a file whose bytes equal those of the file already in its place (a re-run on the
//! same data): it is compared as it is streamed and left as it is (its modification time
//! too), so re-running an unchanged report creates, syncs and renames nothing.
//! Files are streamed as they are rendered; their fsyncs run on background threads (about
//! 5 ms each on ext4, for hundreds of chart files) while rendering goes on, and
//! [`DirWriter::commit`] waits for them before any rename.
//!
//! What is never written over: a file this run reads ([`protect`]), a directory, a device, a
//! FIFO or a socket, and (for [`write_atomic`]) a symbolic link — the caller resolves a link it
//! is told to follow. Every temporary file or directory is registered while it exists, so an
//! interrupted run can remove them ([`remove_temporaries`], called by the CLI's Ctrl-C
//! handler); renames into place run under a lock that the cleanup waits for, so an
//! interruption leaves either the old files or the new ones.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

/// An I/O error with the path it happened on.
#[derive(Debug)]
pub struct WriteError {
    /// The file or directory.
    pub path: PathBuf,
    /// What went wrong (kind `InvalidInput` for a refused target).
    pub error: io::Error,
    /// Why the target was refused before anything was written, if it was.
    pub refusal: Option<Refusal>,
}

/// Why an output target is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A symbolic link (`--out` writes through one only when told to follow it).
    Symlink,
    /// A directory where a file is to go.
    Directory,
    /// A device, FIFO or socket.
    Special,
    /// A file this run reads.
    Input,
    /// Not a directory where the report needs one (e.g. `charts` as a file or link).
    NotReportDirectory,
}

impl From<WriteError> for zoneval_core::error::Error {
    /// A target that cannot be written at all (refused, missing directory, no permission,
    /// read-only file system) is a bad output path (exit 1); a write that fails midway is a
    /// failure (exit 3).
    fn from(e: WriteError) -> Self {
        use std::io::ErrorKind as K;
        use zoneval_core::error::Error;
        use zoneval_core::text;
        let name = e.path.display().to_string();
        let why = match e.refusal {
            Some(r) => r.text(),
            None => {
                let e = e.error.to_string();
                text!("{e}", "{e}")
            }
        };
        let (en, zh) = (&why.en, &why.zh);
        let message = text!("cannot write {name}: {en}", "无法写入 {name}：{zh}");
        match e.error.kind() {
            K::InvalidInput
            | K::PermissionDenied
            | K::ReadOnlyFilesystem
            | K::NotFound
            | K::IsADirectory
            | K::NotADirectory
            | K::AlreadyExists => Error::input(None, message),
            _ => Error::failure(message),
        }
    }
}

impl Refusal {
    /// Why, in both languages.
    pub fn text(self) -> zoneval_core::error::Text {
        use zoneval_core::text;
        match self {
            Refusal::Symlink => text!(
                "it is a symbolic link (give --follow-symlinks to write to the file it points to)",
                "这是符号链接（如需写入其指向的文件，请加 --follow-symlinks）"
            ),
            Refusal::Directory => text!("it is a directory", "这是一个目录"),
            Refusal::Special => text!(
                "it is not a regular file (a device, FIFO or socket)",
                "这不是普通文件（设备、管道或套接字）"
            ),
            Refusal::Input => text!(
                "it is one of this run's input files",
                "这是本次运行读取的输入文件"
            ),
            Refusal::NotReportDirectory => {
                text!("it is not a directory of the report", "这不是报告的目录")
            }
        }
    }
}

impl WriteError {
    fn at(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
        move |error| WriteError {
            path: path.to_path_buf(),
            error,
            refusal: None,
        }
    }
}

/// A writer for one output: buffered, `Send` (the xlsx writer needs it).
pub type Out<'a> = &'a mut (dyn Write + Send);

/// Files this run reads, by (device, inode): never an output.
static PROTECTED: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());

/// Temporary files and directories that exist now.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Held while temporaries are renamed into place.
static RENAMING: Mutex<()> = Mutex::new(());

#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Records `path` as an input of this run: no output may replace it (through any name).
pub fn protect(path: &Path) {
    if let Ok(m) = std::fs::metadata(path)
        && let Ok(mut p) = PROTECTED.lock()
    {
        p.push(identity(&m));
    }
}

fn is_protected(m: &std::fs::Metadata) -> bool {
    cfg!(unix)
        && PROTECTED
            .lock()
            .map(|p| p.contains(&identity(m)))
            .unwrap_or(false)
}

/// Set once the run is being interrupted: no temporary is created after that.
static CLOSING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Runs `f`, which creates a temporary file or directory (and may record it in the list it is
/// given), unless the run is being interrupted. Creation and the cleanup exclude each other, so
/// every temporary is either created before the cleanup (which then removes it) or not at all.
fn guarded<T>(f: impl FnOnce(&mut Vec<PathBuf>) -> io::Result<T>) -> io::Result<T> {
    let mut t = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    if CLOSING.load(Ordering::SeqCst) {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
    }
    f(&mut t)
}

fn unregister(path: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.retain(|p| p != path);
    }
}

/// Removes every temporary file and directory of this run (after waiting for a rename into
/// place that is under way). For a signal handler; the process should exit afterwards.
pub fn remove_temporaries() {
    let _renaming = RENAMING.lock();
    let paths = {
        let t = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        CLOSING.store(true, Ordering::SeqCst);
        t.clone()
    };
    for p in paths {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {
                let _ = std::fs::remove_dir_all(&p);
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&p);
            }
            Err(_) => {}
        }
    }
}

fn refused(path: &Path, why: Refusal) -> WriteError {
    WriteError {
        path: path.to_path_buf(),
        error: io::Error::new(io::ErrorKind::InvalidInput, why.text().en),
        refusal: Some(why),
    }
}

/// Checks that `target` may be replaced by an output: absent, or a regular file that is not
/// an input of this run. A symbolic link is refused unless `links` (a report directory's
/// files: the rename replaces the link itself, never what it points to).
fn check_target(target: &Path, links: bool) -> Result<(), WriteError> {
    let Ok(m) = std::fs::symlink_metadata(target) else {
        return Ok(());
    };
    let t = m.file_type();
    if t.is_symlink() {
        if links {
            return Ok(());
        }
        return Err(refused(target, Refusal::Symlink));
    }
    if t.is_dir() {
        return Err(refused(target, Refusal::Directory));
    }
    if !t.is_file() {
        return Err(refused(target, Refusal::Special));
    }
    if is_protected(&m) {
        return Err(refused(target, Refusal::Input));
    }
    Ok(())
}

/// A tag no other run uses: the process id, the clock's nanoseconds and a counter. Temporary
/// names are not predictable, and they are created exclusively (`create_new`), so a link
/// planted under such a name is never followed: creation fails instead.
fn unique_tag() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}-{nanos:08x}-{n}", std::process::id())
}

/// `.{name}.{tag}` beside `path`.
fn hidden_sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}"))
}

/// Creates `path` (which must not exist: an existing file or link there is an error, never
/// followed) and streams `write` into it (buffered); returns the file, flushed but not yet
/// synced. On error a file this call created is removed.
fn create_with(
    path: &Path,
    temporary: bool,
    write: impl FnOnce(Out<'_>) -> io::Result<()>,
) -> Result<File, WriteError> {
    let file = guarded(|t| {
        let f = File::options().write(true).create_new(true).open(path)?;
        if temporary {
            t.push(path.to_path_buf());
        }
        Ok(f)
    })
    .map_err(WriteError::at(path))?;
    let result = (|| {
        let mut w = BufWriter::with_capacity(1 << 16, file);
        write(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(path);
        WriteError::at(path)(e)
    })
}

/// The file at `target` to compare a new report file with: a regular file with no other
/// name, opened without following a link or waiting on a FIFO, and still the file the name
/// showed. None (the file is written anew) for anything else, and off Unix.
#[cfg(unix)]
fn comparable(target: &Path) -> Option<File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let m = std::fs::symlink_metadata(target).ok()?;
    if !m.is_file() || m.nlink() != 1 {
        return None;
    }
    let f = File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(target)
        .ok()?;
    let now = f.metadata().ok()?;
    (now.is_file() && identity(&now) == identity(&m)).then_some(f)
}

#[cfg(not(unix))]
fn comparable(_: &Path) -> Option<File> {
    None
}

/// Reads into `buf` until it is full or the file ends; the number of bytes read.
fn read_up_to(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A report file's bytes compared with the old file in its place while they match. From the
/// first byte that differs (or where one of the two ends first) they go to the temporary file,
/// created then and started with the equal part copied from the old file.
struct Compare<'a> {
    tmp: &'a Path,
    /// The old file, while every byte so far matched it.
    old: Option<File>,
    matched: u64,
    scratch: Vec<u8>,
    /// The temporary file, once the bytes differ.
    new: Option<File>,
}

impl Compare<'_> {
    fn diverge(&mut self) -> io::Result<()> {
        let Some(mut old) = self.old.take() else {
            return Ok(());
        };
        let new = self.new.insert(guarded(|t| {
            let f = File::options()
                .write(true)
                .create_new(true)
                .open(self.tmp)?;
            t.push(self.tmp.to_path_buf());
            Ok(f)
        })?);
        old.seek(io::SeekFrom::Start(0))?;
        if io::copy(&mut old.take(self.matched), new)? != self.matched {
            return Err(io::Error::other(
                "the previous file changed while being compared",
            ));
        }
        Ok(())
    }

    /// The temporary file holding the new bytes, or None when they equal the old file's.
    fn finish(&mut self) -> io::Result<Option<File>> {
        if let Some(old) = &mut self.old {
            if read_up_to(old, &mut [0u8])? == 0 {
                return Ok(None);
            }
            self.diverge()?;
        }
        Ok(self.new.take())
    }
}

impl Write for Compare<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if let Some(old) = &mut self.old {
            let part = &data[..data.len().min(1 << 16)];
            self.scratch.resize(part.len(), 0);
            let n = read_up_to(old, &mut self.scratch)?;
            if n == part.len() && self.scratch[..n] == *part {
                self.matched += n as u64;
                return Ok(n);
            }
            self.diverge()?;
        }
        match &mut self.new {
            Some(f) => f.write(data),
            None => Err(io::Error::other("no temporary file")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.new {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// Streams `write` compared with `old` (see [`Compare`]): Some(temporary file at `tmp`,
/// flushed, not yet synced) when the bytes differ, None when they are the old file's. On error
/// a temporary file this call created is removed.
fn write_compared(
    tmp: &Path,
    old: File,
    write: impl FnOnce(Out<'_>) -> io::Result<()>,
) -> Result<Option<File>, WriteError> {
    let mut c = Compare {
        tmp,
        old: Some(old),
        matched: 0,
        scratch: Vec::new(),
        new: None,
    };
    let result = (|| {
        let mut w = BufWriter::with_capacity(1 << 16, &mut c);
        write(&mut w)?;
        w.flush()?;
        drop(w);
        c.finish()
    })();
    result.map_err(|e| {
        if c.new.take().is_some() {
            let _ = std::fs::remove_file(tmp);
        }
        WriteError::at(tmp)(e)
    })
}

/// Makes a rename in `dir` durable (best effort: not every file system syncs directories).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `path` atomically with the bytes `write` produces: a temporary file in the same
/// directory, fsync, rename. The directory must exist. On error nothing changes.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(Out<'_>) -> io::Result<()>,
) -> Result<(), WriteError> {
    check_target(path, false)?;
    let tmp = hidden_sibling(path, &format!("{}.tmp", unique_tag()));
    let result = create_with(&tmp, true, write).and_then(|file| {
        let _renaming = RENAMING.lock();
        file.sync_all()
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(WriteError::at(path))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    unregister(&tmp);
    result?;
    if let Some(dir) = path.parent() {
        sync_dir(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        });
    }
    Ok(())
}

/// Background fsyncs: files are handed over as soon as they are written.
struct Syncer {
    tx: Option<Sender<(PathBuf, File)>>,
    threads: Vec<JoinHandle<()>>,
    error: Arc<Mutex<Option<WriteError>>>,
}

/// fsync is waiting on the disk, not computing: more threads than cores overlap it.
const SYNC_THREADS: usize = 8;

impl Syncer {
    fn new() -> Syncer {
        let (tx, rx) = channel::<(PathBuf, File)>();
        let rx = Arc::new(Mutex::new(rx));
        let error = Arc::new(Mutex::new(None));
        let threads = (0..SYNC_THREADS)
            .map(|_| {
                let (rx, error) = (rx.clone(), error.clone());
                std::thread::spawn(move || {
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok((path, file))) = next else { break };
                        if let Err(e) = file.sync_all()
                            && let Ok(mut slot) = error.lock()
                        {
                            slot.get_or_insert(WriteError {
                                path,
                                error: e,
                                refusal: None,
                            });
                        }
                    }
                })
            })
            .collect();
        Syncer {
            tx: Some(tx),
            threads,
            error,
        }
    }

    fn push(&self, path: PathBuf, file: File) -> Result<(), WriteError> {
        // The threads only stop when told to; should one have died, sync here instead.
        if let Some(tx) = &self.tx
            && let Err(e) = tx.send((path, file))
        {
            let (path, file) = e.0;
            return file.sync_all().map_err(|error| WriteError {
                path,
                error,
                refusal: None,
            });
        }
        Ok(())
    }

    /// Waits for every fsync; the first error, if any.
    fn finish(&mut self) -> Result<(), WriteError> {
        self.tx = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        match self.error.lock().ok().and_then(|mut e| e.take()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

enum Mode {
    /// A new directory, written as `tmp` and renamed to the target.
    New { tmp: PathBuf },
    /// An existing directory: (temporary file, target) of every file written.
    Existing {
        renames: Mutex<Vec<(PathBuf, PathBuf)>>,
    },
}

/// The marker file of a report directory: it says the directory is a zoneval report and lists
/// the report's files, so the next report written there replaces it as a whole (files of the
/// old report that the new one does not write are removed).
pub const MARKER: &str = "zoneval-report.json";

/// The files of a report written before the marker existed (the charts under `charts/`).
const LEGACY: &[&str] = &[
    "report.html",
    "report.md",
    "results.csv",
    "results.json",
    "results.xlsx",
];

/// Whether `name` (from a marker) is a plain relative path inside the directory.
fn inside(name: &str) -> bool {
    let p = Path::new(name);
    !name.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// What an existing directory holds: the files of a previous report to replace (`Some`, from
/// its marker, or by recognising a report written before markers existed), or `None` for a
/// directory that is not empty and not a report.
fn previous_report(dir: &Path) -> io::Result<Option<Vec<String>>> {
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir)? {
        entries.push(e?.file_name().to_string_lossy().into_owned());
    }
    if entries.is_empty() {
        return Ok(Some(Vec::new()));
    }
    if entries.iter().any(|e| e == MARKER) {
        let text = std::fs::read(dir.join(MARKER))?;
        let files = serde_json::from_slice::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| {
                v.get("files")?.as_array().map(|a| {
                    a.iter()
                        .filter_map(|f| f.as_str())
                        .filter(|f| inside(f))
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default();
        return Ok(Some(files));
    }
    let legacy = entries.iter().any(|e| e == "results.json")
        && entries
            .iter()
            .all(|e| e == "charts" || LEGACY.contains(&e.as_str()));
    if !legacy {
        return Ok(None);
    }
    let mut files: Vec<String> = entries.into_iter().filter(|e| e != "charts").collect();
    // charts/ and charts/radar/ (real directories only: links are not followed).
    let mut stack = vec!["charts".to_string()];
    while let Some(sub) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(dir.join(&sub)) {
            for e in rd.flatten() {
                let name = format!("{sub}/{}", e.file_name().to_string_lossy());
                match e.file_type() {
                    Ok(t) if t.is_file() => files.push(name),
                    Ok(t) if t.is_dir() && sub.matches('/').count() < 2 => stack.push(name),
                    _ => {}
                }
            }
        }
    }
    Ok(Some(files))
}

/// Writes a directory of files atomically (see the module docs). Dropped without
/// [`commit`](DirWriter::commit), it removes what it wrote and leaves the target unchanged.
pub struct DirWriter {
    dir: PathBuf,
    tag: String,
    mode: Mode,
    /// The files of the report the directory held (removed at commit unless written again).
    previous: Vec<String>,
    /// The files written.
    written: Mutex<Vec<String>>,
    syncer: Syncer,
    done: bool,
    /// Subdirectories this writer created in an existing directory (removed again, when
    /// empty, if the report is not committed).
    created: Mutex<Vec<PathBuf>>,
}

/// Why a directory cannot be written at all.
#[derive(Debug)]
pub enum DirError {
    /// The target exists and is not a directory.
    NotADirectory,
    /// The parent of a new directory does not exist (the parent shown).
    NoParent(PathBuf),
    /// Creating the temporary directory failed.
    Io(WriteError),
    /// The target is a directory that is neither empty nor a zoneval report.
    NotAReport,
}

impl DirWriter {
    /// Starts writing `dir`. A new directory's parent must exist.
    pub fn create(dir: &Path) -> Result<DirWriter, DirError> {
        if dir.exists() && !dir.is_dir() {
            return Err(DirError::NotADirectory);
        }
        let tag = format!("tmp-{}", unique_tag());
        let mut previous = Vec::new();
        if dir.is_dir() {
            match previous_report(dir) {
                Ok(Some(p)) => previous = p,
                Ok(None) => return Err(DirError::NotAReport),
                Err(e) => return Err(DirError::Io(WriteError::at(dir)(e))),
            }
        }
        let mode = if dir.is_dir() {
            Mode::Existing {
                renames: Mutex::new(Vec::new()),
            }
        } else {
            let parent = match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !parent.is_dir() {
                return Err(DirError::NoParent(parent));
            }
            let tmp = if dir.file_name().is_some() {
                hidden_sibling(dir, &tag)
            } else {
                parent.join(format!(".report.{tag}"))
            };
            // A fresh, unpredictable name: `create_dir` fails on anything already there
            // (nothing is removed or followed).
            guarded(|t| {
                std::fs::create_dir(&tmp)?;
                t.push(tmp.clone());
                Ok(())
            })
            .map_err(|e| DirError::Io(WriteError::at(&tmp)(e)))?;
            Mode::New { tmp }
        };
        Ok(DirWriter {
            dir: dir.to_path_buf(),
            tag,
            mode,
            previous,
            written: Mutex::new(Vec::new()),
            syncer: Syncer::new(),
            done: false,
            created: Mutex::new(Vec::new()),
        })
    }

    /// Streams the file `name` (relative, `/`-separated) with the bytes `write` produces.
    /// Safe to call from several threads at once for different files.
    pub fn file(
        &self,
        name: &str,
        write: impl FnOnce(Out<'_>) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        let path = match &self.mode {
            Mode::New { tmp } => tmp.join(name),
            Mode::Existing { .. } => {
                // Checked before anything is written or renamed: a report file may replace
                // only a regular file (or a link, itself) that is not an input, and its
                // subdirectories must be real directories (never followed out of `dir`).
                let target = self.dir.join(name);
                check_target(&target, true)?;
                let mut sub = self.dir.clone();
                for part in Path::new(name)
                    .parent()
                    .into_iter()
                    .flat_map(Path::components)
                {
                    sub.push(part);
                    match std::fs::symlink_metadata(&sub) {
                        Ok(m) if !m.is_dir() => {
                            return Err(refused(&sub, Refusal::NotReportDirectory));
                        }
                        _ => {}
                    }
                }
                hidden_sibling(&target, &self.tag)
            }
        };
        if let Some(parent) = path.parent() {
            guarded(|_| {
                if let Mode::Existing { .. } = &self.mode {
                    let mut sub = self.dir.clone();
                    for part in Path::new(name)
                        .parent()
                        .into_iter()
                        .flat_map(Path::components)
                    {
                        sub.push(part);
                        if std::fs::create_dir(&sub).is_ok()
                            && let Ok(mut c) = self.created.lock()
                        {
                            c.push(sub.clone());
                        }
                    }
                }
                std::fs::create_dir_all(parent)
            })
            .map_err(WriteError::at(parent))?;
        }
        if let Ok(mut w) = self.written.lock() {
            w.push(name.to_string());
        }
        let file = match &self.mode {
            Mode::New { .. } => create_with(&path, false, write)?,
            Mode::Existing { renames } => {
                let target = self.dir.join(name);
                // Recorded before writing, so a failed file is cleaned up too.
                if let Ok(mut r) = renames.lock() {
                    r.push((path.clone(), target.clone()));
                }
                match comparable(&target) {
                    None => create_with(&path, true, write)?,
                    Some(old) => match write_compared(&path, old, write)? {
                        Some(file) => file,
                        None => {
                            // Unchanged: the old file stays, nothing to rename.
                            if let Ok(mut r) = renames.lock() {
                                r.retain(|(tmp, _)| tmp != &path);
                            }
                            return Ok(());
                        }
                    },
                }
            }
        };
        self.syncer.push(path, file)
    }

    /// Writes the marker, waits for every file to reach the disk, then renames into place and
    /// removes the files of the previous report that were not written again.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let mut files = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        files.sort();
        files.push(MARKER.to_string());
        let marker = serde_json::json!({
            "generator": format!("zoneval {}", env!("CARGO_PKG_VERSION")),
            "note": "This directory is a zoneval report: the next `--report` here replaces these files as a whole.",
            "files": files,
        });
        self.file(MARKER, |o| {
            serde_json::to_writer_pretty(&mut *o, &marker).map_err(io::Error::other)?;
            o.write_all(b"\n")
        })?;
        self.syncer.finish()?;
        let _renaming = RENAMING.lock();
        self.done = true;
        match &self.mode {
            Mode::New { tmp } => {
                if let Err(e) = std::fs::rename(tmp, &self.dir) {
                    self.done = false;
                    return Err(WriteError::at(&self.dir)(e));
                }
                unregister(tmp);
                if let Some(p) = self.dir.parent() {
                    sync_dir(if p.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        p
                    });
                }
            }
            Mode::Existing { renames } => {
                let renames = renames.lock().map(|r| r.clone()).unwrap_or_default();
                for (k, (tmp, target)) in renames.iter().enumerate() {
                    if let Err(e) = std::fs::rename(tmp, target) {
                        for (t, _) in &renames[k..] {
                            let _ = std::fs::remove_file(t);
                            unregister(t);
                        }
                        return Err(WriteError::at(target)(e));
                    }
                    unregister(tmp);
                }
                // The old report's files that this one does not have (e.g. the radar of a
                // zone no longer evaluated), then the subdirectories they leave empty.
                let mut emptied = Vec::new();
                for old in self.previous.iter().filter(|p| !files.contains(p)) {
                    let path = self.dir.join(old);
                    let is_file = std::fs::symlink_metadata(&path)
                        .is_ok_and(|m| m.is_file() || m.file_type().is_symlink());
                    if is_file
                        && std::fs::remove_file(&path).is_ok()
                        && let Some(parent) = Path::new(old).parent()
                        && !parent.as_os_str().is_empty()
                    {
                        emptied.push(self.dir.join(parent));
                    }
                }
                // Deepest first, each with its parents inside the report; a directory that is
                // not empty stays (remove_dir fails).
                emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
                emptied.dedup();
                for d in emptied {
                    let mut d = d.as_path();
                    while d != self.dir && std::fs::remove_dir(d).is_ok() {
                        match d.parent() {
                            Some(p) => d = p,
                            None => break,
                        }
                    }
                }
                sync_dir(&self.dir);
            }
        }
        Ok(())
    }
}

impl Drop for DirWriter {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let _ = self.syncer.finish();
        match &self.mode {
            Mode::New { tmp } => {
                let _ = std::fs::remove_dir_all(tmp);
                unregister(tmp);
            }
            Mode::Existing { renames } => {
                if let Ok(r) = renames.lock() {
                    for (t, _) in r.iter() {
                        let _ = std::fs::remove_file(t);
                        unregister(t);
                    }
                }
                if let Ok(c) = self.created.lock() {
                    for d in c.iter().rev() {
                        let _ = std::fs::remove_dir(d);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::collections::HashMap;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("zoneval-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_file_is_replaced_whole_or_not_at_all() {
        let d = scratch("file");
        let p = d.join("out.txt");
        write_atomic(&p, |w| w.write_all(b"first")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"first");
        let e = write_atomic(&p, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        })
        .unwrap_err();
        assert!(
            e.path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".out.txt.")),
            "{:?}",
            e.path
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"first");
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            1,
            "no temporary left"
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A link at the output path is refused, never followed: what it points to and the link
    /// itself are left as they were.
    #[cfg(unix)]
    #[test]
    fn a_link_at_the_output_is_refused() {
        let d = scratch("link");
        let victim = d.join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let p = d.join("out.csv");
        std::os::unix::fs::symlink(&victim, &p).unwrap();
        let e = write_atomic(&p, |w| w.write_all(b"new")).unwrap_err();
        assert_eq!(e.refusal, Some(Refusal::Symlink));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(std::fs::symlink_metadata(&p).unwrap().is_symlink());
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            2,
            "no temporary left"
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A link planted at a temporary file's name is not followed: creation fails and what it
    /// points to is left as it was.
    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_is_never_followed() {
        let d = scratch("planted");
        let victim = d.join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let tmp = d.join(".out.csv.1234.tmp");
        std::os::unix::fs::symlink(&victim, &tmp).unwrap();
        assert!(create_with(&tmp, false, |w| w.write_all(b"evil")).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(std::fs::symlink_metadata(&tmp).unwrap().is_symlink());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_new_directory_appears_only_on_commit() {
        let d = scratch("newdir");
        let target = d.join("rep");
        let w = DirWriter::create(&target).unwrap();
        w.file("a.txt", |o| o.write_all(b"a")).unwrap();
        w.file("sub/b.txt", |o| o.write_all(b"b")).unwrap();
        assert!(!target.exists());
        w.commit().unwrap();
        assert_eq!(std::fs::read(target.join("sub/b.txt")).unwrap(), b"b");
        // Dropped without commit: nothing is left and the target stays as it was.
        let w = DirWriter::create(&d.join("other")).unwrap();
        w.file("a.txt", |o| o.write_all(b"a")).unwrap();
        drop(w);
        let names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("rep")]);
        let _ = std::fs::remove_dir_all(&d);
    }

    /// The inode of `p` (which file object the name holds).
    #[cfg(unix)]
    fn ino(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(p).unwrap().ino()
    }

    /// Into an existing report, a file with the bytes already there stays the same file; one
    /// that differs anywhere (first byte, past a 64 KiB chunk, longer, shorter) is replaced by
    /// a new file with exactly the new bytes; a link or a file with another name is replaced,
    /// never compared through.
    #[cfg(unix)]
    #[test]
    fn unchanged_files_stay_and_changed_ones_are_replaced() {
        let d = scratch("unchanged");
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut big2 = big.clone();
        big2[150_000] ^= 1;
        let olds: Vec<(&str, Vec<u8>)> = vec![
            ("same.txt", b"same bytes".to_vec()),
            ("big-same.bin", big.clone()),
            ("first.txt", b"abc".to_vec()),
            ("late.bin", big.clone()),
            ("longer.txt", b"abc".to_vec()),
            ("shorter.txt", b"abcd".to_vec()),
            ("empty.txt", Vec::new()),
        ];
        let news: Vec<(&str, Vec<u8>)> = vec![
            ("same.txt", b"same bytes".to_vec()),
            ("big-same.bin", big.clone()),
            ("first.txt", b"xbc".to_vec()),
            ("late.bin", big2.clone()),
            ("longer.txt", b"abcd".to_vec()),
            ("shorter.txt", b"abc".to_vec()),
            ("empty.txt", Vec::new()),
        ];
        for (f, b) in &olds {
            std::fs::write(d.join(f), b).unwrap();
        }
        // A link to a file with the same bytes, and a file with a second name.
        let outside = d.join("outside.txt");
        std::fs::write(&outside, "linked").unwrap();
        std::os::unix::fs::symlink(&outside, d.join("link.txt")).unwrap();
        std::fs::write(d.join("twice.txt"), "twice").unwrap();
        std::fs::hard_link(d.join("twice.txt"), d.join("other-name.txt")).unwrap();
        let mut listed: Vec<&str> = olds.iter().map(|(f, _)| *f).collect();
        listed.extend(["link.txt", "twice.txt"]);
        std::fs::write(
            d.join(MARKER),
            serde_json::json!({ "files": listed }).to_string(),
        )
        .unwrap();
        let before: HashMap<&str, u64> = listed.iter().map(|f| (*f, ino(&d.join(f)))).collect();

        let w = DirWriter::create(&d).unwrap();
        for (f, b) in &news {
            // In pieces that end anywhere (flushed through the buffer to the comparison).
            w.file(f, |o| {
                for c in b.chunks(1000) {
                    o.write_all(c)?;
                    o.flush()?;
                }
                Ok(())
            })
            .unwrap();
        }
        w.file("link.txt", |o| o.write_all(b"linked")).unwrap();
        w.file("twice.txt", |o| o.write_all(b"twice")).unwrap();
        w.commit().unwrap();

        for (f, b) in &news {
            assert_eq!(&std::fs::read(d.join(f)).unwrap(), b, "{f}");
            let kept = ino(&d.join(f)) == before[f];
            let unchanged = olds.iter().any(|(g, o)| g == f && o == b);
            assert_eq!(kept, unchanged, "{f}: kept {kept}, unchanged {unchanged}");
        }
        // The link is replaced by a file of its own; what it pointed to is untouched.
        assert!(
            std::fs::symlink_metadata(d.join("link.txt"))
                .unwrap()
                .is_file()
        );
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "linked");
        // The file with two names is replaced: the report's file is its own.
        assert_ne!(ino(&d.join("twice.txt")), before["twice.txt"]);
        assert_eq!(ino(&d.join("other-name.txt")), before["twice.txt"]);
        let hidden: Vec<String> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(hidden.is_empty(), "temporaries left: {hidden:?}");
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A write that fails while its bytes still match the old file, or after they differ,
    /// leaves the old file and no temporary file.
    #[cfg(unix)]
    #[test]
    fn a_failed_write_while_comparing_leaves_the_old_file() {
        let d = scratch("compare-error");
        std::fs::write(d.join("a.txt"), "old contents").unwrap();
        std::fs::write(d.join(MARKER), r#"{"files": ["a.txt"]}"#).unwrap();
        let before = ino(&d.join("a.txt"));
        for prefix in [&b"old"[..], b"new"] {
            let w = DirWriter::create(&d).unwrap();
            let e = w
                .file("a.txt", |o| {
                    o.write_all(prefix)?;
                    o.flush()?;
                    Err(io::Error::other("boom"))
                })
                .unwrap_err();
            assert!(e.error.to_string().contains("boom"));
            drop(w);
            assert_eq!(
                std::fs::read_to_string(d.join("a.txt")).unwrap(),
                "old contents"
            );
            assert_eq!(ino(&d.join("a.txt")), before);
            assert_eq!(
                std::fs::read_dir(&d).unwrap().count(),
                2,
                "temporaries removed"
            );
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn an_existing_report_keeps_its_files_until_commit_then_is_replaced_whole() {
        let d = scratch("existing");
        std::fs::write(d.join("a.txt"), "old").unwrap();
        std::fs::write(d.join("old.txt"), "old report only").unwrap();
        // Not a report (no marker): refused, nothing touched.
        assert!(matches!(DirWriter::create(&d), Err(DirError::NotAReport)));
        std::fs::write(d.join(MARKER), r#"{"files": ["a.txt", "old.txt", "../x"]}"#).unwrap();
        let w = DirWriter::create(&d).unwrap();
        w.file("a.txt", |o| o.write_all(b"new")).unwrap();
        assert!(w.file("b.txt", |_| Err(io::Error::other("boom"))).is_err());
        drop(w);
        assert_eq!(std::fs::read_to_string(d.join("a.txt")).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            3,
            "temporaries removed"
        );
        let w = DirWriter::create(&d).unwrap();
        w.file("a.txt", |o| o.write_all(b"new")).unwrap();
        w.commit().unwrap();
        assert_eq!(std::fs::read_to_string(d.join("a.txt")).unwrap(), "new");
        // The old report's file that the new one does not write is gone.
        assert!(!d.join("old.txt").exists());
        let marker: serde_json::Value =
            serde_json::from_slice(&std::fs::read(d.join(MARKER)).unwrap()).unwrap();
        assert_eq!(marker["files"], serde_json::json!(["a.txt", MARKER]));
        assert!(matches!(
            DirWriter::create(&d.join("a.txt")),
            Err(DirError::NotADirectory)
        ));
        assert!(matches!(
            DirWriter::create(&d.join("no/such")),
            Err(DirError::NoParent(_))
        ));
        let _ = std::fs::remove_dir_all(&d);
    }
}
