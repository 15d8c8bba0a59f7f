use std::ops::Range;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::Guideline;
use crate::source::SourceFile;
use crate::syntax::unsafe_as_file_name;

declare_lint! {
    /// ## What it does
    /// Reports anything in the source that would make the build read or write outside the
    /// guideline or its output:
    /// - a part, chapter, control or technology ID that cannot be a file name (the site
    ///   names its pages after IDs): path separators, `..`, control
    ///   characters, characters outside the ID pattern, names Windows reserves (`CON`,
    ///   `NUL`, `COM1`…) and the names of the site's own pages (`index`, `SUMMARY`…);
    /// - a symbolic link that points outside the guideline directory;
    /// - a path in `guideline.toml` (`registry`, `previous`) that leads outside the git work
    ///   tree holding the guideline (outside git: outside the directory holding it), or into
    ///   a hidden directory such as `.git`.
    ///
    /// ## Why is this bad?
    /// Guidelines are built in CI from pull requests that anyone can open. A part ID
    /// `../../../../x` would make the build write files four directories above its output; a
    /// chapter that is a link to `/home/runner/.ssh/id_rsa`, or a registry path pointing
    /// there, would publish that file or print it in the build log. The build also refuses
    /// such paths where it writes, but the source should say what it means.
    ///
    /// ## Example
    /// ```toml
    /// # parts/4-control/part.toml
    /// id = "../../../../x"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// id = "4-control"
    /// ```
    /// and keep every file of the guideline inside its repository: a registry or an earlier
    /// edition may sit beside the guideline, never elsewhere on the machine.
    "G0007", "unsafe-path", Error, Some(check)
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    let mut report = |file: &SourceFile, span, what: String, id: &str, reason: &str| {
        out.push(
            LINT.at(file, span, format!("{what} `{}` cannot be used as a file name: {reason}", id.escape_debug()))
                .help("IDs become page names: use ASCII letters, digits, `.`, `_` and `-`, for example `4-control` or `C-4.6`"),
        );
    };
    for p in &g.parts {
        if let Some(reason) = unsafe_as_file_name(&p.id) {
            let f = g.sources.get(p.file);
            report(f, p.id_span.clone(), "part ID".into(), &p.id, reason);
        }
    }
    let chapters = g
        .chapters()
        .map(|(_, c)| ("chapter ID", &c.id, c.file, &c.id_span));
    let controls = g
        .controls()
        .map(|(_, _, c)| ("control ID", &c.id, c.file, &c.id_span));
    for (what, id, file, span) in chapters.chain(controls) {
        if let Some(reason) = unsafe_as_file_name(id) {
            report(g.sources.get(file), span.clone(), what.into(), id, reason);
        }
    }
    if let Some(file) = g.registry_file {
        let f = g.sources.get(file);
        for t in &g.registry.technologies {
            if let Some(reason) = unsafe_as_file_name(&t.id) {
                report(f, t.id_span.clone(), "technology ID".into(), &t.id, reason);
            }
        }
    }
    // Presets name their OSCAL profile (`profiles/<id>.oscal.json`).
    if let (Some(a), Some(file)) = (&g.applicability, g.applicability_file) {
        let f = g.sources.get(file);
        for p in &a.presets {
            if let Some(reason) = unsafe_as_file_name(&p.id) {
                report(f, p.span.clone(), "preset ID".into(), &p.id, reason);
            }
        }
    }
    // Editions (`5.1.1+u4`) and glossary terms are shown, never used as file names, so
    // they keep their own spelling.
}

/// A symbolic link the source reader did not follow because it leads out of the guideline.
pub fn link_outside(path: &Path, target: &Path) -> Diagnostic {
    Diagnostic::whole_file(
        LINT.code,
        LINT.severity,
        path,
        1,
        1,
        format!(
            "symbolic link to `{}`, outside the guideline directory: not read",
            target.display()
        ),
    )
    .help("replace the link with the file itself, or point it at a file inside the guideline")
}

/// A path in the manifest that leads out of the guideline's repository.
pub fn path_outside(
    manifest: &SourceFile,
    key: &str,
    span: Range<usize>,
    path: &Path,
) -> Diagnostic {
    LINT.at(
        manifest,
        span,
        format!(
            "`{key}` points outside the guideline's repository (`{}`): not read",
            path.display()
        ),
    )
    .help("keep the registry and earlier editions in the guideline's repository, for example `editions/5.2`, and out of hidden directories")
}
