// Search for the guideline site. The data holds every page of the book as the reader sees
// it (the visible text of its <main>, NFKC-normalised when the site was built), so a page
// is found exactly when it shows the words: substring matching after NFKC and lower-casing,
// which works inside Japanese compounds (証明書 finds 身分証明書). A query of several words
// (separated by spaces, ASCII or 全角) finds the pages that hold every word; "a quoted
// phrase" keeps its spaces. Results are ranked: a query equal to a control's ID or title
// first, then hits in headings (a control's ID and title), statements, guidance, elsewhere;
// ties by the number of hits, then document order. It drives mdBook's own search markup
// (#mdbook-searchbar, #mdbook-searchresults, ?search=TERM) in place of mdBook's searcher,
// and highlights the words on the page a result opens (?highlight=TERM).
(function () {
    'use strict';
    var root = (typeof path_to_root === 'string') ? path_to_root : '';
    // The search bar and results list, found once they are parsed (attach).
    var toggle, wrapper, bar, outer, header, list;
    // The page's content gives way while results are shown. The mark is on the root, not
    // on the content: the first results are shown before the content is parsed (see
    // load_early in src/render/site), and a class put on the content once it is parsed
    // came a frame or more too late, so the first frame of results showed the content
    // under them and laid it out for nothing.
    function syncContent() {
        document.documentElement.classList.toggle('guideline-results', !outer.classList.contains('hidden'));
    }
    var lang = document.documentElement.lang || 'ja';
    var SEP = '\u0001';
    var RANK_HEADING = 0;

    // A query's words: NFKC, lower case, split at white space; "quoted phrases" stay whole
    // (their inner white space collapsed, as on the page).
    function terms(query) {
        var q = String(query || '').normalize('NFKC').toLowerCase().split(SEP).join(' ');
        var out = [];
        var re = /["\u201c\u201d]([^"\u201c\u201d]*)["\u201c\u201d]|(\S+)/g;
        var m;
        while ((m = re.exec(q)) !== null) {
            var t = m[1] !== undefined ? m[1].replace(/\s+/g, ' ').trim() : m[2].replace(/^["\u201c\u201d]+|["\u201c\u201d]+$/g, '');
            if (t && out.indexOf(t) < 0) { out.push(t); }
        }
        return out;
    }

    // Runs `f` once the whole page is parsed.
    function whenParsed(f) {
        if (document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', f);
        } else {
            f();
        }
    }

    // The page's head hides the page and holds the sidebar back while the first results of
    // ?search= are on their way (EARLY_SEARCH_FETCH in src/render/site); this says they are
    // shown, or will not be.
    function settled() {
        if (window.guidelineSearchDone) { window.guidelineSearchDone(); }
    }

    var data = null;
    var loading = null;

    // The pages' text in two views, each the pages joined by SEP (`text`), where each page
    // starts (`starts`) and each page alone (`pages`): as shown (`data.shown`), and lower-cased
    // (`data.lowered`, made the first time a word with upper and lower case is searched for).
    // A word without case (認証, 5.2) is found in the text as shown: lower-casing cannot make
    // or unmake it there, so the Japanese reader's first search skips the pass over the whole
    // text. Lower-casing the whole text at once is one pass; only where it changes a length
    // (rare letters such as İ) is each page lower-cased on its own, so that offsets stay
    // those of its own text.
    function view(text, pages) {
        var starts = [];
        var at = 0;
        for (var i = 0; i < pages.length; i++) {
            starts.push(at);
            at += pages[i].length + 1;
        }
        return { text: text, starts: starts, pages: pages };
    }

    function index(docs, text) {
        var pages = [];
        var from = 0;
        for (;;) {
            var to = text.indexOf(SEP, from);
            var end = to < 0 ? text.length : to;
            pages.push(text.slice(from, end));
            if (to < 0) { break; }
            from = to + 1;
        }
        return { docs: docs, shown: view(text, pages), lowered: null };
    }

    function lowerView() {
        if (data.lowered) { return data.lowered; }
        var shown = data.shown;
        var all = shown.text.toLowerCase();
        if (all.length === shown.text.length) {
            data.lowered = view(all, shown.pages.map(function (p, i) { return all.substr(shown.starts[i], p.length); }));
        } else {
            var pages = shown.pages.map(function (p) { return p.toLowerCase(); });
            data.lowered = view(pages.join(SEP), pages);
        }
        return data.lowered;
    }

    function cased(word) {
        return word.toLowerCase() !== word || word.toUpperCase() !== word;
    }

    // The view a word is searched in.
    function viewFor(word) {
        return cased(word) ? lowerView() : data.shown;
    }

    // The pages' texts joined by SEP, from the literal text and the copies of what came
    // before (write_search and repeats.rs in src/render/site): for each copy, the literal
    // run before it, then where its text is in the literal text and how long it is; last,
    // the final run. Each page's segments stay in their flat form (start less the one
    // before, rank, anchor or 0 for the one before) until `segments` unpacks them.
    function expand(meta, literal) {
        var copies = meta.copies, parts = [], at = 0;
        for (var i = 0; i < copies.length; i += 3) {
            parts.push(literal.slice(at, at + copies[i]));
            at += copies[i];
            if (i + 2 < copies.length) { parts.push(literal.slice(copies[i + 1], copies[i + 1] + copies[i + 2])); }
        }
        return index(meta.docs, parts.join(''));
    }

    // A page's segments as [start, anchor, rank], unpacked the first time they are needed
    // (a search looks at the pages it finds, not at all of them).
    function segments(doc) {
        var d = data.docs[doc];
        if (!d.segments) {
            var flat = d[2], segs = [], start = 0, anchor = '';
            for (var j = 0; j < flat.length; j += 3) {
                start += flat[j];
                if (flat[j + 2] !== 0) { anchor = flat[j + 2]; }
                segs.push([start, anchor, flat[j + 1]]);
            }
            d.segments = segs;
        }
        return d.segments;
    }

    // Over http the data comes as one gzip file: a line of JSON (pages, segments, copies,
    // the literal text's encoding), then the literal text (UTF-16 for Japanese: two bytes a
    // character instead of three). Opened from disk, fetch is not allowed, so a script with
    // the same data is loaded instead.
    function load() {
        if (loading) { return loading; }
        var base = root + 'search/' + lang;
        loading = Promise.resolve().then(function () {
            // The page's head defines how the data is fetched and decompressed where that is
            // possible, and starts it when the page opens with ?search= (EARLY_SEARCH_FETCH
            // in src/render/site), so that it runs while the page loads.
            var fetchData = window.guidelineSearchFetch;
            if (!fetchData) { throw new Error('no fetch'); }
            var early = window.guidelineSearchEarly;
            window.guidelineSearchEarly = null;
            return (early || fetchData()).then(function (buf) {
                var bytes = new Uint8Array(buf);
                var nl = bytes.indexOf(10);
                var meta = JSON.parse(new TextDecoder('utf-8').decode(bytes.subarray(0, nl)));
                data = expand(meta, new TextDecoder(meta.encoding).decode(bytes.subarray(nl + 1)));
                return data;
            });
        }).catch(function () {
            return new Promise(function (resolve, reject) {
                var s = document.createElement('script');
                s.src = base + '.js';
                s.onload = function () {
                    var g = window.guidelineSearchData;
                    data = expand(g, g.literal);
                    resolve(data);
                };
                s.onerror = reject;
                document.head.appendChild(s);
            });
        });
        return loading;
    }

    // The segment ([start, anchor, rank]) of a document that holds an offset in it.
    function segmentAt(doc, offset) {
        var segs = segments(doc);
        var lo = 0, hi = segs.length - 1;
        if (hi < 0) { return null; }
        while (lo < hi) {
            var mid = (lo + hi + 1) >> 1;
            if (segs[mid][0] <= offset) { lo = mid; } else { hi = mid - 1; }
        }
        return segs[lo];
    }

    function segmentText(doc, i, pages) {
        var segs = segments(doc);
        var end = i + 1 < segs.length ? segs[i + 1][0] : pages[doc].length;
        return pages[doc].slice(segs[i][0], end);
    }

    // The control (or heading) a query names exactly: its ID, its title, or both.
    function exactSegment(doc, whole) {
        var segs = segments(doc);
        for (var i = 0; i < segs.length; i++) {
            if (segs[i][2] !== RANK_HEADING) { continue; }
            var anchor = segs[i][1].normalize('NFKC').toLowerCase();
            var lines = segmentText(doc, i, viewFor(whole).pages).split('\n');
            for (var j = 0; j < lines.length; j++) {
                var line = lines[j].trim();
                if (line === whole) { return segs[i]; }
                if (anchor && line.indexOf(anchor + ' ') === 0 &&
                    (whole === anchor || whole === line.slice(anchor.length + 1).trim())) {
                    return segs[i];
                }
            }
        }
        return null;
    }

    function search(query) {
        var ts = terms(query);
        if (!ts.length) { return []; }
        // For each page: how many of the words it holds, hits, and its best hit.
        var found = {};
        ts.forEach(function (t, ti) {
            var v = viewFor(t);
            var at = v.text.indexOf(t);
            // The hits come in order, so the page they are on only moves forward.
            var d = 0;
            while (at >= 0) {
                while (d + 1 < v.starts.length && v.starts[d + 1] <= at) { d++; }
                var r = found[d];
                if (!r) {
                    if (ti > 0) {
                        // Not holding the first word: skip the rest of this page.
                        at = v.text.indexOf(t, d + 1 < v.starts.length ? v.starts[d + 1] : v.text.length);
                        continue;
                    }
                    r = found[d] = { doc: d, words: 0, lastWord: -1, hits: 0, rank: 99, at: -1, segment: null };
                }
                if (r.lastWord !== ti) {
                    if (r.lastWord !== ti - 1) {
                        // Missed an earlier word: this page cannot match.
                        at = v.text.indexOf(t, d + 1 < v.starts.length ? v.starts[d + 1] : v.text.length);
                        continue;
                    }
                    r.lastWord = ti;
                    r.words++;
                }
                var offset = at - v.starts[d];
                var seg = segmentAt(d, offset);
                var rank = seg ? seg[2] : 3;
                r.hits++;
                if (rank < r.rank) { r.rank = rank; r.at = offset; r.term = t; r.segment = seg; }
                at = v.text.indexOf(t, at + t.length);
            }
        });
        var whole = ts.join(' ');
        var results = [];
        Object.keys(found).forEach(function (k) {
            var r = found[k];
            if (r.words !== ts.length) { return; }
            // Naming a control exactly puts a word in its heading, so only a page with a hit
            // in a heading can hold it.
            var exact = r.rank === RANK_HEADING ? exactSegment(r.doc, whole) : null;
            r.exact = !!exact;
            if (exact) { r.segment = exact; r.rank = -1; }
            results.push(r);
        });
        results.sort(function (a, b) {
            return (a.rank - b.rank) || (b.hits - a.hits) || (a.doc - b.doc);
        });
        results.terms = ts;
        return results;
    }

    function url(result, query) {
        var doc = data.docs[result.doc];
        var anchor = result.segment && result.segment[1] ? '#' + encodeURIComponent(result.segment[1]) : '';
        return root + doc[0] + '?highlight=' + encodeURIComponent(query) + anchor;
    }

    // The heading of the control a hit is in, as the page shows it ("C-7.1 外部…").
    function controlHeading(result) {
        if (!result.segment || !result.segment[1]) { return ''; }
        var segs = segments(result.doc);
        for (var i = 0; i < segs.length; i++) {
            if (segs[i][1] === result.segment[1] && segs[i][2] === RANK_HEADING) {
                return segmentText(result.doc, i, data.shown.pages).split('\n')[0].trim();
            }
        }
        return '';
    }

    // Text made safe to put into HTML (results are written as one piece of HTML: one parse
    // of the browser instead of a call per element, which a first search pays for before
    // the page's scripts have warmed up).
    function escapeHtml(text) {
        return text.replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
    }

    // A stretch of the page around its best hit, every word of the query marked, as HTML.
    // The words are found in `pages`, the view they were searched in, and shown with their
    // case where that view has the same offsets.
    function teaser(result, ts, pages) {
        var d = result.doc;
        var searched = pages[d];
        var shown = data.shown.pages[d].length === searched.length ? data.shown.pages[d] : searched;
        var at = result.at >= 0 ? result.at : 0;
        var from = Math.max(0, at - 40);
        // Where the hit's line starts within reach, the teaser starts there: on the heading,
        // cell or paragraph that holds the hit, not inside the line before it (a chapter's
        // title would otherwise come after the page's language link and its part).
        var line = at > 0 ? searched.lastIndexOf('\n', at - 1) + 1 : 0;
        if (line > from) { from = line; }
        var to = Math.min(searched.length, at + 120);
        var cut = from > 0 && searched.charAt(from - 1) !== '\n';
        var html = '<span class="teaser" aria-label="Search Result Teaser">' + (cut ? '…' : '');
        var window_ = searched.slice(from, to);
        var pos = 0;
        while (pos < window_.length) {
            var next = -1, len = 0;
            for (var k = 0; k < ts.length; k++) {
                var i = window_.indexOf(ts[k], pos);
                if (i >= 0 && (next < 0 || i < next || (i === next && ts[k].length > len))) { next = i; len = ts[k].length; }
            }
            if (next < 0) { break; }
            html += escapeHtml(shown.slice(from + pos, from + next)) +
                '<em>' + escapeHtml(shown.slice(from + next, from + next + len)) + '</em>';
            pos = next + len;
        }
        return html + escapeHtml(shown.slice(from + pos, to) + (to < searched.length ? '…' : '')) + '</span>';
    }

    // What a query lists, as the results list's HTML and the line above it: worked out
    // without the page, so that the first results can be ready before the list is parsed.
    function results(query) {
        var found = search(query);
        var ts = found.terms || [];
        var pages = ts.some(cased) ? lowerView().pages : data.shown.pages;
        var html = '';
        for (var i = 0; i < found.length; i++) {
            var r = found[i];
            var doc = data.docs[r.doc];
            var heading = controlHeading(r);
            html += '<li><a href="' + escapeHtml(url(r, query)) + '">' + escapeHtml(heading || doc[1]) + '</a>' +
                (heading && heading !== doc[1] ? '<span class="result-page">' + escapeHtml(' (' + doc[1] + ')') + '</span>' : '') +
                teaser(r, ts, pages) + '</li>';
        }
        var word = lang === 'ja' ? '件' : (found.length === 1 ? ' result' : ' results');
        return {
            html: html,
            header: lang === 'ja'
                ? '「' + query + '」の検索結果: ' + found.length + word
                : found.length + word + ' for \'' + query + '\':',
            any: ts.length > 0
        };
    }

    function show(shown) {
        list.innerHTML = shown.html;
        header.textContent = shown.header;
        outer.classList.toggle('hidden', !shown.any);
        syncContent();
    }

    function setUrl(query) {
        var u = new URL(window.location.href);
        if (query) { u.searchParams.set('search', query); } else { u.searchParams.delete('search'); }
        window.history.replaceState({}, '', u.toString());
    }

    function open(focus) {
        wrapper.classList.remove('hidden');
        if (toggle) { toggle.setAttribute('aria-expanded', 'true'); }
        if (focus) { bar.focus(); bar.select(); }
        load();
    }

    function close() {
        wrapper.classList.add('hidden');
        outer.classList.add('hidden');
        syncContent();
        if (toggle) { toggle.setAttribute('aria-expanded', 'false'); }
        setUrl('');
    }

    var pending = null;
    function onInput() {
        var query = bar.value;
        clearTimeout(pending);
        pending = setTimeout(function () {
            load().then(function () { show(results(query)); setUrl(query); });
        }, 30);
    }

    // Marks the words of `?highlight=` in the page's text (within one text node each).
    function highlightPage() {
        var wanted = terms(new URL(window.location.href).searchParams.get('highlight'));
        var main = document.querySelector('main');
        if (!wanted.length || !main) { return; }
        var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
        var nodes = [];
        while (walker.nextNode()) { nodes.push(walker.currentNode); }
        var first = null;
        nodes.forEach(function (node) {
            var text = node.data;
            var lower = text.normalize('NFKC').toLowerCase();
            if (lower.length !== text.length) { return; }
            var pieces = [];
            var pos = 0;
            while (pos < lower.length) {
                var next = -1, len = 0;
                wanted.forEach(function (t) {
                    var i = lower.indexOf(t, pos);
                    if (i >= 0 && (next < 0 || i < next || (i === next && t.length > len))) { next = i; len = t.length; }
                });
                if (next < 0) { break; }
                pieces.push([next, len]);
                pos = next + len;
            }
            if (!pieces.length) { return; }
            var frag = document.createDocumentFragment();
            var at = 0;
            pieces.forEach(function (p) {
                frag.appendChild(document.createTextNode(text.slice(at, p[0])));
                var mark = document.createElement('mark');
                mark.className = 'search-hit';
                mark.textContent = text.slice(p[0], p[0] + p[1]);
                frag.appendChild(mark);
                if (!first) { first = mark; }
                at = p[0] + p[1];
            });
            frag.appendChild(document.createTextNode(text.slice(at)));
            node.parentNode.replaceChild(frag, node);
        });
        if (first && !window.location.hash) { first.scrollIntoView({ block: 'center' }); }
    }

    // The page's search bar, results list and keys, once the list is parsed.
    function attach() {
        toggle = document.getElementById('mdbook-search-toggle');
        wrapper = document.getElementById('mdbook-search-wrapper');
        bar = document.getElementById('mdbook-searchbar');
        outer = document.getElementById('mdbook-searchresults-outer');
        header = document.getElementById('mdbook-searchresults-header');
        list = document.getElementById('mdbook-searchresults');
        // mdBook's sidebar toggle is a <label>; the site gives it role="button" and
        // tabindex, so the keyboard must work it as a button.
        var sidebarToggle = document.getElementById('mdbook-sidebar-toggle');
        if (sidebarToggle) {
            sidebarToggle.addEventListener('keydown', function (e) {
                if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sidebarToggle.click(); }
            });
        }
        if (!wrapper || !bar || !list) { settled(); return; }
        if (toggle) {
            toggle.addEventListener('click', function () {
                if (wrapper.classList.contains('hidden')) { open(true); } else { close(); }
            });
        }
        bar.addEventListener('input', onInput);
        var form = document.getElementById('mdbook-searchbar-outer');
        if (form) { form.addEventListener('submit', function (e) { e.preventDefault(); onInput(); }); }
        document.addEventListener('keydown', function (e) {
            var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
            if (e.key === 'Escape' && !wrapper.classList.contains('hidden')) { close(); bar.blur(); return; }
            if (!typing && !e.altKey && !e.ctrlKey && !e.metaKey && (e.key === '/' || e.key === 's' || e.key === 'S')) {
                e.preventDefault();
                open(true);
            }
        });
        if (first) {
            bar.value = initial;
            open(false);
            // The sidebar waits for the first results (toc.js); it is told when they are
            // shown, or when they cannot be. The page is shown in the same step as its
            // results, so that whatever sees the first result (a reader's next frame, a
            // script told of it) sees it displayed.
            first.then(function (shown) {
                try { show(shown); } finally { settled(); }
            }, settled);
        } else {
            settled();
        }
    }

    // The page's head loads this script without waiting for it (load_early in
    // src/render/site), so it may run before the search bar is parsed. With ?search=, it
    // attaches as soon as the results list is parsed, and the first results (worked out
    // as soon as the data is in) show without waiting for the rest of the page; otherwise
    // it attaches once the page is parsed.
    function whenListParsed(f) {
        if (document.readyState !== 'loading' || document.getElementById('mdbook-searchresults')) { f(); return; }
        if (!first) { whenParsed(f); return; }
        var done = false;
        var observer = new MutationObserver(function () {
            if (!done && document.getElementById('mdbook-searchresults')) { done = true; observer.disconnect(); f(); }
        });
        observer.observe(document.documentElement, { childList: true, subtree: true });
        whenParsed(function () {
            if (!done) { done = true; observer.disconnect(); f(); }
        });
    }

    // For tests and scripts: the URLs (page and anchor) a query lists, in order.
    window.guidelineSearch = {
        search: function (q) {
            return load().then(function () {
                return search(q).map(function (r) {
                    var doc = data.docs[r.doc];
                    return doc[0] + (r.segment && r.segment[1] ? '#' + r.segment[1] : '');
                });
            });
        }
    };

    // A page opened with ?search=: its results are worked out as soon as the data is in.
    var initial = new URL(window.location.href).searchParams.get('search');
    var first = initial ? load().then(function () { return results(initial); }) : null;
    if (first) { first.catch(function () {}); }
    whenListParsed(attach);
    whenParsed(highlightPage);
})();
