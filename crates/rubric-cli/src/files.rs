//! Input files read within their limits, and output files written safely.
//!
//! Inputs: a path must name a regular file. A FIFO blocks until some writer appears and a device
//! such as `/dev/zero` never ends, so both are refused before they are read (`-` still reads
//! standard input where a command documents it). A regular file over its limit is refused from
//! its size, without reading it, and every read stops one byte past the limit, so a file that
//! grows while it is read costs no more.
//!
//! Outputs: written to a new temporary file in the same directory and renamed over the target,
//! so a failed write never leaves half a file and never truncates the old one. A target that is a
//! symbolic link is refused (the program never writes through a link it did not create; name the
//! file the link points to). A target that is a device or a FIFO (`/dev/null`, a named pipe) is
//! written directly, since it cannot be replaced. `--out` naming one of the command's inputs is
//! refused before anything is read.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::Failure;

/// A size limit on one input: its value and the name error messages give it.
#[derive(Clone, Copy)]
pub struct Limit {
    pub bytes: usize,
    pub name: &'static str,
}

/// What a path names, for messages.
fn kind(metadata: &Metadata) -> &'static str {
    if metadata.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = metadata.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

fn check_regular(path: &Path, metadata: &Metadata, stdin_hint: bool) -> Result<(), Failure> {
    if metadata.is_file() {
        return Ok(());
    }
    let hint = if stdin_hint { "; pass - to read standard input" } else { "" };
    Err(Failure::io_message(format!("{}: {}, not a regular file{hint}", path.display(), kind(metadata))))
}

/// Opens a regular file for reading, after checking what `path` names (so a FIFO is refused
/// instead of blocking in `open`), and checks the open file again (the path may have changed in
/// between). Returns the file and its size.
pub fn open_input(path: &Path, stdin_hint: bool) -> Result<(File, u64), Failure> {
    let metadata = fs::metadata(path).map_err(|e| Failure::io(path, &e))?;
    check_regular(path, &metadata, stdin_hint)?;
    let file = File::open(path).map_err(|e| Failure::io(path, &e))?;
    let metadata = file.metadata().map_err(|e| Failure::io(path, &e))?;
    check_regular(path, &metadata, stdin_hint)?;
    Ok((file, metadata.len()))
}

/// Extensions of the transcript files a directory input holds (compared without case).
pub const TRANSCRIPT_EXTENSIONS: [&str; 4] = ["json", "txt", "vtt", "srt"];

/// At most this many transcript files are taken from one directory, so a huge directory is an
/// error rather than an unbounded list of paths.
pub const MAX_DIRECTORY_FILES: usize = 100_000;

/// Whether `path` names a directory (a `score` or `batch` input that stands for its files).
pub fn is_directory(path: &Path) -> bool {
    path.as_os_str() != "-" && fs::metadata(path).is_ok_and(|m| m.is_dir())
}

/// The transcript files directly in `dir` (not in its subdirectories), by name: regular files
/// with one of [`TRANSCRIPT_EXTENSIONS`], hidden files left out. Returns them and how many other
/// entries were passed over.
pub fn transcripts_in(dir: &Path) -> Result<(Vec<PathBuf>, usize), Failure> {
    let mut found = Vec::new();
    let mut skipped = 0;
    for entry in fs::read_dir(dir).map_err(|e| Failure::io(dir, &e))? {
        let entry = entry.map_err(|e| Failure::io(dir, &e))?;
        let path = entry.path();
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        let transcript = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| TRANSCRIPT_EXTENSIONS.iter().any(|t| e.eq_ignore_ascii_case(t)));
        if hidden || !transcript || !fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            skipped += 1;
            continue;
        }
        if found.len() == MAX_DIRECTORY_FILES {
            return Err(Failure::invalid(format!(
                "{}: more than {MAX_DIRECTORY_FILES} transcript files; split the directory or use a JSON Lines corpus",
                dir.display()
            )));
        }
        found.push(path);
    }
    found.sort();
    Ok((found, skipped))
}

/// The transcript files an input stands for: a directory's (see [`transcripts_in`]), else the
/// input itself.
pub fn transcript_paths(input: &Path) -> Result<Vec<PathBuf>, Failure> {
    if is_directory(input) {
        Ok(transcripts_in(input)?.0)
    } else {
        Ok(vec![input.to_path_buf()])
    }
}

/// Refuses a path that exists and is not a regular file (for files opened to append).
pub fn refuse_special(path: &Path) -> Result<(), Failure> {
    match fs::metadata(path) {
        Ok(metadata) => check_regular(path, &metadata, false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::io(path, &e)),
    }
}

fn over_limit(path: &Path, limit: Limit, size: Option<u64>) -> Failure {
    let size = size.map_or_else(|| format!("more than {}", limit.bytes), |s| s.to_string());
    Failure::invalid(format!(
        "{}: the file is {size} bytes, over the limit of {} bytes ({})",
        path.display(),
        limit.bytes,
        limit.name
    ))
}

/// Reads at most `limit.bytes` bytes of `reader`; more is an error naming the limit.
fn read_bounded(reader: impl Read, path: &Path, limit: Limit, capacity: usize) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(limit.bytes as u64 + 1).read_to_end(&mut bytes).map_err(|e| Failure::io(path, &e))?;
    if bytes.len() > limit.bytes {
        return Err(over_limit(path, limit, None));
    }
    Ok(bytes)
}

/// Reads a whole input file within `limit`. With `stdin`, the path `-` reads standard input.
pub fn read_input(path: &Path, limit: Limit, stdin: bool) -> Result<Vec<u8>, Failure> {
    if stdin && path.as_os_str() == "-" {
        return read_bounded(io::stdin().lock(), path, limit, 0);
    }
    let (file, len) = open_input(path, stdin)?;
    if len > limit.bytes as u64 {
        return Err(over_limit(path, limit, Some(len)));
    }
    read_bounded(file, path, limit, len as usize)
}

/// Whether two paths name the same existing file (canonical paths, or device and inode on Unix,
/// which also catches hard links).
fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (fs::canonicalize(a), fs::canonicalize(b)) {
        if x == y {
            return true;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            return x.is_file() && x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// Refuses `--out` when it names one of `inputs` (writing would destroy the input).
pub fn refuse_out_is_input(out: &Path, inputs: &[&Path]) -> Result<(), Failure> {
    match inputs.iter().find(|input| input.as_os_str() != "-" && same_file(out, input)) {
        Some(input) => Err(Failure::usage(format!(
            "--out {} is an input of this command ({}); write the output somewhere else",
            out.display(),
            input.display()
        ))),
        None => Ok(()),
    }
}

/// An output file being written: a temporary file beside the target until [`Output::commit`]
/// renames it into place. Dropped without committing, it removes the temporary file.
pub struct Output {
    target: PathBuf,
    temp: Option<PathBuf>,
    file: File,
}

impl Output {
    pub fn create(target: &Path) -> Result<Output, Failure> {
        let existing = match fs::symlink_metadata(target) {
            Ok(metadata) => Some(metadata),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(Failure::io(target, &e)),
        };
        if let Some(metadata) = &existing {
            if metadata.file_type().is_symlink() {
                return Err(Failure::usage(format!(
                    "--out {} is a symbolic link; refusing to write through it (name the file it points to)",
                    target.display()
                )));
            }
            if !metadata.is_file() && !metadata.is_dir() {
                // A device or FIFO: it cannot be replaced, only written to.
                let file = OpenOptions::new().write(true).open(target).map_err(|e| Failure::io(target, &e))?;
                return Ok(Output { target: target.to_path_buf(), temp: None, file });
            }
        }
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = target.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let mut attempt = 0u32;
        let (temp, file) = loop {
            let temp = dir.join(format!(".{name}.{}-{attempt}.tmp", std::process::id()));
            // `create_new` never follows a symbolic link and never opens a file someone else made.
            match OpenOptions::new().write(true).create_new(true).open(&temp) {
                Ok(file) => break (temp, file),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(Failure::io(target, &e)),
            }
        };
        if let Some(metadata) = existing.filter(Metadata::is_file) {
            // Keep the replaced file's permissions.
            let _ = fs::set_permissions(&temp, metadata.permissions());
        }
        Ok(Output { target: target.to_path_buf(), temp: Some(temp), file })
    }

    /// Flushes the data to disk and renames the temporary file over the target.
    pub fn commit(mut self) -> Result<(), Failure> {
        let target = self.target.clone();
        self.file.flush().map_err(|e| Failure::io(&target, &e))?;
        let Some(temp) = self.temp.take() else { return Ok(()) };
        let renamed = self.file.sync_all().and_then(|()| fs::rename(&temp, &target));
        if let Err(e) = renamed {
            let _ = fs::remove_file(&temp);
            return Err(Failure::io(&target, &e));
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Writes `bytes` to `path` through an [`Output`].
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut output = Output::create(path)?;
    output.write_all(bytes).map_err(|e| Failure::io(path, &e))?;
    output.commit()
}
