//! What the generator found wrong or incomplete in the specs: printed to
//! stderr, so a spec gap is never silent.

/// Warnings by spec file.
#[derive(Default)]
pub struct Report {
    /// `(file, message)`.
    pub warnings: Vec<(String, String)>,
}

impl Report {
    /// Note a problem of `file`.
    pub fn warn(&mut self, file: &str, msg: String) {
        self.warnings.push((file.to_string(), msg));
    }

    /// Print every warning to stderr.
    pub fn print(&self) {
        for (f, m) in &self.warnings {
            eprintln!("nlwire-ynlgen: {f}: {m}");
        }
    }
}
