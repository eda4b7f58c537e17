//! SHA-256 digests as lower-case hex: of bytes, of a list of texts, and of what a writer
//! writes. Fingerprints, checksums in the report and the catalog, and the cache all use them.

use std::io::Write;

use sha2::{Digest, Sha256};

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

/// The SHA-256 of bytes, as hex.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of a list of texts, each prefixed by its length so that no two lists share a
/// digest by moving text from one part to the next.
pub(crate) fn sha256_of_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// A writer that passes its bytes on and keeps their count and SHA-256, so that a file another
/// writer streams (polars' CSV and Parquet) is described as it is written: a grown national
/// data file is gigabytes, and reading it back only to hash it was a pass of its own.
pub(crate) struct DigestingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> DigestingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        DigestingWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The writer given, with the size and SHA-256 (hex) of what went through it.
    pub(crate) fn finish(self) -> (W, u64, String) {
        (self.inner, self.bytes, hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for DigestingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A hasher for digests built from several pieces (a pipeline file and its includes).
pub(crate) struct Hasher(Sha256);

impl Hasher {
    pub(crate) fn new() -> Self {
        Hasher(Sha256::new())
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub(crate) fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digests_of_bytes_and_parts() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(sha256_of_parts(&["ab", "c"]), sha256_of_parts(&["a", "bc"]));
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }

    #[test]
    fn a_written_file_is_described_as_its_bytes_are() {
        let mut writer = DigestingWriter::new(Vec::new());
        for piece in [&b"territory,value\n"[..], b"", b"035004,4.52\n"] {
            writer.write_all(piece).unwrap();
        }
        let (written, bytes, sha256) = writer.finish();
        assert_eq!(written, b"territory,value\n035004,4.52\n");
        assert_eq!(bytes, written.len() as u64);
        assert_eq!(sha256, super::sha256(&written));
    }
}
