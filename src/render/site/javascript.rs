//! Scripts made smaller for readers on slow connections, by a rule that cannot change what
//! they do: each line's indentation goes, and so does every line that is only a `//`
//! comment. Newlines stay, so automatic semicolons fall where they fell.
//!
//! Indentation is part of the text only inside a template literal (between backticks) or
//! on the line after a string continued with a backslash; the second is kept as written,
//! and a script with a backtick outside a comment is returned as it is. A line that starts
//! with `//` is a comment unless it closes a block comment (`// */`): such a script is
//! returned as it is too.

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
    }
    let mut state = State::Code;
    let mut out = String::with_capacity(js.len());
    for line in js.lines() {
        let code = line.trim();
        match state {
            State::Continued => {
                if line.contains('`') {
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
                    if code[end..].contains('`') {
                        return None;
                    }
                    state = State::Code;
                }
            }
            State::Code => {
                if code.starts_with("//") {
                    if code.contains("*/") {
                        return None;
                    }
                    continue;
                }
                if let Some(rest) = code.strip_prefix("/*") {
                    match rest.find("*/") {
                        None => state = State::BlockComment,
                        Some(end) if rest[end..].contains('`') => return None,
                        Some(_) => {}
                    }
                } else if code.contains('`') {
                    return None;
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
    fn what_it_cannot_be_sure_of_stays() {
        for js in [
            "const s = `\n    kept\n`;\n",
            "/* a\n// b */ f();\n",
            "  f(); /* a */ `x`;\n",
        ] {
            assert_eq!(compact(js), js);
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
