//! Scripts made smaller for readers on slow connections, by a rule that cannot change what
//! they do: each line's indentation goes, and so does every line that is only a `//`
//! comment. Newlines stay, so automatic semicolons fall where they fell.
//!
//! Indentation is part of the text only inside a template literal (between backticks) or
//! on the line after a string continued with a backslash; both are kept as written. A
//! backtick is known to open or close a template only on a line that holds no quote, slash,
//! backslash or `${` (nothing there can hide a backtick in a string, comment, regular
//! expression or escape); inside a template, a line's `${…}` must close on that line with no
//! brace, backtick, quote, slash or backslash in it. In a script with templates, a block
//! comment must open at the start of a line (one opened in mid-line, after another comment
//! or after a continued string is not followed, and the script is returned as it is). A
//! script with any other backtick is returned as it is. A line that starts with `//` is a
//! comment unless it closes a block comment (`// */`): such a script is returned as it is
//! too, as is one with a line terminator other than `\n`.

/// `js` compacted, or as it is where the rule above cannot be sure.
pub fn compact(js: &str) -> String {
    compacted(js).unwrap_or_else(|| js.to_string())
}

fn compacted(js: &str) -> Option<String> {
    enum State {
        Code,
        /// Inside a `/* */` comment that began at the start of a line.
        BlockComment,
        /// The line before ended with a backslash: this one may continue a string.
        Continued,
        /// Inside a template literal that an earlier line opened.
        Template,
    }
    // How many backticks a line holds, where each is sure to open or close a template.
    fn delimiters(line: &str) -> Option<usize> {
        let ticks = line.matches('`').count();
        if ticks > 0 && (line.contains(['\'', '"', '/', '\\']) || line.contains("${")) {
            return None;
        }
        Some(ticks)
    }
    // A line inside a template without backticks: each `${…}` closes on it, holding no
    // brace, backtick, quote, slash or backslash (any of which could hide a `}`).
    fn plain_substitutions(line: &str) -> bool {
        line.split("${").skip(1).all(|rest| {
            rest.find('}')
                .is_some_and(|end| !rest[..end].contains(['{', '`', '\'', '"', '/', '\\']))
        })
    }
    // Lines are split at \n only: a script with another line terminator (\r, U+2028,
    // U+2029) is left as it is.
    if js.contains(['\r', '\u{2028}', '\u{2029}']) {
        return None;
    }
    // Where a script has templates, a backtick in a comment opened in mid-line could pass for
    // one: such a script is returned as it is.
    let templates = js.contains('`');
    let mut state = State::Code;
    let mut out = String::with_capacity(js.len());
    for line in js.lines() {
        let code = line.trim();
        match state {
            State::Template => {
                let ticks = delimiters(line)?;
                if ticks == 0 && !plain_substitutions(line) {
                    return None;
                }
                out.push_str(line);
                out.push('\n');
                if ticks % 2 == 1 {
                    state = State::Code;
                }
                continue;
            }
            State::Continued => {
                if line.contains('`') || (templates && line.contains("/*")) {
                    return None;
                }
                out.push_str(line);
                out.push('\n');
                if !line.ends_with('\\') {
                    state = State::Code;
                }
                continue;
            }
            State::BlockComment => {
                if let Some(end) = code.find("*/") {
                    if code[end..].contains('`')
                        || (templates && code[end..].contains("/*"))
                        || line.ends_with('\\')
                    {
                        return None;
                    }
                    state = State::Code;
                }
            }
            State::Code => {
                // Only a comment that opens at the start of a line is followed across lines.
                if templates && code.find("/*").is_some_and(|at| at > 0) {
                    return None;
                }
                if code.starts_with("//") {
                    if code.contains("*/") {
                        return None;
                    }
                    continue;
                }
                if let Some(rest) = code.strip_prefix("/*") {
                    match rest.find("*/") {
                        None => state = State::BlockComment,
                        Some(end)
                            if rest[end..].contains('`')
                                || (templates && rest[end..].contains("/*")) =>
                        {
                            return None
                        }
                        Some(_) => {}
                    }
                } else if code.contains('`') {
                    if delimiters(code)? % 2 == 1 {
                        // What follows the opening backtick is the template's text.
                        out.push_str(line.trim_start());
                        out.push('\n');
                        state = State::Template;
                        continue;
                    }
                    if line.ends_with('\\') {
                        return None;
                    }
                }
                if line.ends_with('\\') {
                    state = State::Continued;
                }
            }
        }
        if !code.is_empty() {
            out.push_str(code);
            out.push('\n');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_and_comment_lines_go() {
        let js = "// header\nfunction f(a) {\n    // why\n    return a + '//not a comment';\n}\n\n/* block\n   still */\nf(1)\n";
        assert_eq!(
            compact(js),
            "function f(a) {\nreturn a + '//not a comment';\n}\n/* block\nstill */\nf(1)\n"
        );
    }

    #[test]
    fn a_template_keeps_its_text() {
        let js = "function f(t) {\n    el.style.cssText = `  \n        top: ${t.toFixed(1)}px;\n\n        left: 0;\n    `;\n    return `one line`;\n}\n";
        assert_eq!(
            compact(js),
            "function f(t) {\nel.style.cssText = `  \n        top: ${t.toFixed(1)}px;\n\n        left: 0;\n    `;\nreturn `one line`;\n}\n"
        );
    }

    #[test]
    fn what_it_cannot_be_sure_of_stays() {
        for js in [
            "/* a\n// b */ f();\n",
            "  f(); /* a */ `x`;\n",
            // A backtick beside a quote, slash, backslash or `${` may be in a string, a
            // comment, a regular expression or an escape.
            "  s = '`';\n  t = `\n    x\n`;\n",
            "  s = `a` // `\n  t = `\n    x\n`;\n",
            "  s = `\n    a \\` b\n  `;\n",
            "  s = `${`\n    x`}\n  `;\n",
            // A substitution that does not close on its line may hold a template.
            "  s = `\n    ${f(\n    `)}`\n  `;\n",
            // A comment opened in mid-line is not followed: its backtick could open nothing.
            "  f(); /* a `\n  b */\n  s = `\n    x\n  `;\n",
            "/* a */ x(); /* b\n`\nc */\ns = `\n    kept\n`;\n",
            "s = 'a\\\nb'; /* c\n`\n*/\nt = `\n    kept\n`;\n",
            // A `}` in a string inside a substitution is not its end.
            "s = `\n${f('}',\n`\n  nested text\n`)}\n`;\n",
            // A string continued after a block comment closed on its line.
            "/* c\n*/ s = 'a\\\n    b';\n",
            // Line terminators other than \n.
            "  // a\u{2028}f();\n  g();\n",
        ] {
            assert_eq!(compact(js), js, "{js}");
        }
        // A string continued on the next line keeps that line's indentation.
        assert_eq!(
            compact("    const s = 'a \\\n        b';\n    f();\n"),
            "const s = 'a \\\n        b';\nf();\n"
        );
        // A backtick in a comment is no template literal.
        assert_eq!(compact("  // `code`\n  x();\n"), "x();\n");
        assert_eq!(
            compact("  /* the `display`\n     `x` */\n  y();\n"),
            "/* the `display`\n`x` */\ny();\n"
        );
    }
}
