//! The search text with its long repeats sent once. Much of what the site's pages show is
//! shown on several pages: a control's text on its chapter page, in the views by reader and
//! level, and (old and new) in the change history. gzip finds a repeat only within the last
//! 32 KB, which is 16,000 characters of Japanese in UTF-16, so the search data carried most
//! of that text as many times as it is shown.
//!
//! [`encode`] splits the text (in UTF-16 code units, as the browser's strings count) into
//! runs of literal text and copies of text that came before. The literal runs, joined, are
//! the literal text; a copy names where its text is in the literal text (`from`, `len`), so
//! the browser rebuilds the whole text with one `slice` per run and per copy and one `join`
//! ([`decode`] is the same, for the tests). `ops` lists, for each copy, the length of the
//! literal run before it, then `from` and `len`; and last the length of the final run.

/// Copies shorter than this many code units are left to gzip (a copy costs about a dozen
/// bytes in the data; 24 is where the Japanese book's data was smallest).
const MIN_COPY: usize = 24;
/// Earlier places with the same first `MIN_COPY` units tried for each position, the most
/// recent first (more found almost nothing longer, and cost time).
const TRIES: usize = 8;
const HASH_BITS: u32 = 20;

/// The text as literal text and copies (see the module's documentation).
#[derive(Debug, PartialEq)]
pub struct Repeats {
    pub literal: Vec<u16>,
    pub ops: Vec<usize>,
}

/// One stretch of the text in order: it starts at `text` in the text and its units are at
/// `literal` in the literal text (a literal run where it was added, a copy where its source
/// is).
#[derive(Clone, Copy)]
struct Piece {
    text: usize,
    literal: usize,
}

/// The index of the piece that holds position `at` of the text (pieces cover the text from
/// 0 in order, so `at` must be in one).
fn piece_at(pieces: &[Piece], at: usize) -> usize {
    pieces.partition_point(|p| p.text <= at) - 1
}

pub fn encode(text: &[u16]) -> Repeats {
    let n = text.len();
    let mut literal: Vec<u16> = Vec::with_capacity(n);
    let mut ops = Vec::new();
    let mut pieces: Vec<Piece> = Vec::new();
    // Hash chains over the first MIN_COPY units at each position (as zlib keeps them):
    // `head` the latest position per hash, `prev` the one before it with the same hash.
    let mut head = vec![u32::MAX; 1 << HASH_BITS];
    let mut prev = vec![u32::MAX; n];
    // The hash of the MIN_COPY units at each position, rolled along the text (one multiply
    // and add per unit instead of MIN_COPY).
    let hashes: Vec<u32> = {
        const BASE: u32 = 0x9E37_79B1;
        let top = (1..MIN_COPY).fold(1u32, |p, _| p.wrapping_mul(BASE));
        let mut hashes = Vec::with_capacity(n.saturating_sub(MIN_COPY) + 1);
        let mut h: u32 = 0;
        for (i, &unit) in text.iter().enumerate() {
            if i >= MIN_COPY {
                h = h.wrapping_sub(top.wrapping_mul(u32::from(text[i - MIN_COPY])));
            }
            h = h.wrapping_mul(BASE).wrapping_add(u32::from(unit));
            if i + 1 >= MIN_COPY {
                hashes.push(h);
            }
        }
        hashes
    };
    let hash = |at: usize| -> usize {
        // Multiplying mixes the units' bits into the top ones, which index the table.
        (hashes[at].wrapping_mul(0x85EB_CA6B) >> (32 - HASH_BITS)) as usize
    };
    let insert = |at: usize, head: &mut [u32], prev: &mut [u32]| {
        if at + MIN_COPY <= n {
            let h = hash(at);
            prev[at] = head[h];
            head[h] = at as u32;
        }
    };
    // The literal run being gathered starts here.
    let mut run = 0;
    let mut at = 0;
    // A copy neither starts nor ends inside a surrogate pair, so that no literal run holds
    // half a character (which would not survive being decoded in the browser).
    let low = |at: usize| at < n && (0xDC00..0xE000).contains(&text[at]);
    while at < n {
        let mut best = (0, 0);
        if at + MIN_COPY <= n && !low(at) {
            let mut candidate = head[hash(at)];
            let mut tries = 0;
            while candidate != u32::MAX && tries < TRIES {
                let from = candidate as usize;
                candidate = prev[from];
                tries += 1;
                // A place that cannot beat the best so far, or whose first units differ (a
                // hash collision), is passed over before anything else is looked at.
                if text.get(at + best.0) != text.get(from + best.0)
                    || text[from..from + MIN_COPY] != text[at..at + MIN_COPY]
                {
                    continue;
                }
                // The source must be one stretch that is there already: a piece before
                // this run, or this run up to here.
                let end = if from >= run {
                    at
                } else {
                    pieces
                        .get(piece_at(&pieces, from) + 1)
                        .map_or(run, |p| p.text)
                };
                let mut len = text[from..end]
                    .iter()
                    .zip(&text[at..])
                    .take_while(|(a, b)| a == b)
                    .count();
                while len > 0 && low(at + len) {
                    len -= 1;
                }
                if len > best.0 {
                    best = (len, from);
                }
            }
        }
        let (len, from) = best;
        if len >= MIN_COPY {
            if at > run {
                pieces.push(Piece {
                    text: run,
                    literal: literal.len(),
                });
                literal.extend_from_slice(&text[run..at]);
            }
            let piece = pieces[piece_at(&pieces, from)];
            let source = piece.literal + (from - piece.text);
            ops.extend([at - run, source, len]);
            pieces.push(Piece {
                text: at,
                literal: source,
            });
            for i in at..at + len {
                insert(i, &mut head, &mut prev);
            }
            at += len;
            run = at;
        } else {
            insert(at, &mut head, &mut prev);
            at += 1;
        }
    }
    ops.push(n - run);
    literal.extend_from_slice(&text[run..]);
    Repeats { literal, ops }
}

/// The text again, as the browser rebuilds it (guideline-search.js).
#[cfg(test)]
pub fn decode(repeats: &Repeats) -> Vec<u16> {
    let mut text = Vec::new();
    let mut at = 0;
    for op in repeats.ops.chunks(3) {
        text.extend_from_slice(&repeats.literal[at..at + op[0]]);
        at += op[0];
        if let [_, from, len] = *op {
            text.extend_from_slice(&repeats.literal[from..from + len]);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    /// `encode` of `text`, held to give `text` back.
    fn encoded(text: &[u16]) -> Repeats {
        let repeats = encode(text);
        assert_eq!(decode(&repeats), text);
        repeats
    }

    #[test]
    fn a_long_repeat_is_sent_once() {
        let line = "外部のネットワークから利用者を識別し認証するときは、多要素認証を用いる。";
        let text = units(&format!("{line}ほかの文{line}{line}x"));
        let repeats = encoded(&text);
        assert_eq!(repeats.literal, units(&format!("{line}ほかの文x")));
        assert_eq!(repeats.ops.len(), 2 * 3 + 1, "{:?}", repeats.ops);
    }

    #[test]
    fn short_repeats_and_no_repeats_stay_literal() {
        for text in ["", "a", "abcabcabc", "短い文。短い文。"] {
            let text = units(text);
            let repeats = encoded(&text);
            assert_eq!(repeats.ops, vec![text.len()]);
            assert_eq!(repeats.literal, text);
        }
    }

    #[test]
    fn no_run_holds_half_a_character() {
        // 𠮷 and 𠮟 are two code units each, with the same first one: the repeat of the
        // long head runs into the pair and must stop before it, not inside it.
        let head = "二十四文字を超える長さの同じ始まりを持つ二つの文の、";
        let text = units(&format!("{head}𠮷あ{head}𠮟い"));
        let repeats = encoded(&text);
        assert_eq!(repeats.ops.len(), 4, "one copy: {:?}", repeats.ops);
        assert!(String::from_utf16(&repeats.literal).is_ok());
    }

    /// Texts made of a few long phrases in a random order (repeats that overlap, start
    /// inside copies and run up to the end) come back unit for unit, and the literal text is
    /// shorter.
    #[test]
    fn any_text_comes_back() {
        let phrases: Vec<Vec<u16>> = (0..12)
            .map(|i| {
                units(&format!(
                    "{i}番目の文は二十四文字よりずっと長く、ほかの文と{}字を共有して、一つの文で六十字ほどになるように続けて書かれている。",
                    i % 3
                ))
            })
            .collect();
        let mut state: u64 = 7;
        for _ in 0..200 {
            let mut text = Vec::new();
            for _ in 0..40 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let phrase = &phrases[(state >> 33) as usize % phrases.len()];
                let cut = (state >> 20) as usize % phrase.len();
                text.extend_from_slice(&phrase[cut..]);
            }
            let repeats = encoded(&text);
            assert!(repeats.literal.len() < text.len());
        }
    }
}
