// Search for the guideline site: exact substring matching after NFKC normalisation and
// lower-casing, so Japanese works inside compounds (証明書 finds 身分証明書) and nothing
// else matches. It drives mdBook's own search markup (#mdbook-searchbar,
// #mdbook-searchresults, ?search=TERM) in place of mdBook's word-based searcher.
(function () {
    'use strict';
    var root = (typeof path_to_root === 'string') ? path_to_root : '';
    var toggle = document.getElementById('mdbook-search-toggle');
    var wrapper = document.getElementById('mdbook-search-wrapper');
    var bar = document.getElementById('mdbook-searchbar');
    var outer = document.getElementById('mdbook-searchresults-outer');
    var header = document.getElementById('mdbook-searchresults-header');
    var list = document.getElementById('mdbook-searchresults');
    var content = document.getElementById('mdbook-content');
    if (!wrapper || !bar || !list) { return; }

    var data = null;      // { docs: [[url, title], ...], text: String, starts: [Number] }
    var loading = null;
    var lang = document.documentElement.lang || 'ja';
    var SEP = '\u0001';

    // The data holds each document as written; search runs on its NFKC, lower-cased form
    // and teasers quote the original wherever normalising kept its length.
    function index(meta, text) {
        var original = text.split(SEP);
        var normal = original.map(function (d) { return d.normalize('NFKC').toLowerCase(); });
        var starts = [];
        var at = 0;
        for (var i = 0; i < normal.length; i++) {
            starts.push(at);
            at += normal[i].length + 1;
        }
        return { docs: meta.docs, text: normal.join(SEP), starts: starts, original: original, normal: normal };
    }

    // Over http the text comes as a compact gzip file (UTF-16 for Japanese: two bytes a
    // character instead of three); opened from disk, fetch is not allowed, so a script
    // with the same text is loaded instead.
    function load() {
        if (loading) { return loading; }
        var base = root + 'search/' + lang;
        loading = fetch(base + '.json').then(function (r) {
            if (!r.ok) { throw new Error('search index'); }
            return r.json();
        }).then(function (meta) {
            if (typeof DecompressionStream === 'undefined') { throw new Error('no gzip'); }
            return fetch(base + '.bin').then(function (r) {
                return new Response(r.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
            }).then(function (buf) {
                data = index(meta, new TextDecoder(meta.encoding).decode(buf));
                return data;
            });
        }).catch(function () {
            return new Promise(function (resolve, reject) {
                var s = document.createElement('script');
                s.src = base + '.js';
                s.onload = function () {
                    var g = window.guidelineSearchData;
                    data = index(g, g.text);
                    resolve(data);
                };
                s.onerror = reject;
                document.head.appendChild(s);
            });
        });
        return loading;
    }

    function normalise(s) { return s.normalize('NFKC').toLowerCase().trim(); }

    function docAt(offset) {
        var lo = 0, hi = data.starts.length - 1;
        while (lo < hi) {
            var mid = (lo + hi + 1) >> 1;
            if (data.starts[mid] <= offset) { lo = mid; } else { hi = mid - 1; }
        }
        return lo;
    }

    function search(query) {
        var q = normalise(query);
        var hits = [];
        if (!q || q.indexOf(SEP) >= 0) { return hits; }
        var seen = {};
        var at = data.text.indexOf(q);
        while (at >= 0) {
            var d = docAt(at);
            if (!seen[d]) {
                seen[d] = true;
                hits.push({ doc: d, at: at });
            }
            // Skip to the next document: one hit a page is enough.
            var next = d + 1 < data.starts.length ? data.starts[d + 1] : data.text.length;
            at = data.text.indexOf(q, next);
        }
        return hits;
    }

    function teaser(hit, length) {
        var doc = data.normal[hit.doc];
        var shown = data.original[hit.doc].length === doc.length ? data.original[hit.doc] : doc;
        var at = hit.at - data.starts[hit.doc];
        var from = Math.max(0, at - 40);
        var to = Math.min(doc.length, at + length + 60);
        var span = document.createElement('span');
        span.className = 'teaser';
        span.setAttribute('aria-label', 'Search Result Teaser');
        span.appendChild(document.createTextNode((from > 0 ? '…' : '') + shown.slice(from, at)));
        var em = document.createElement('em');
        em.textContent = shown.slice(at, at + length);
        span.appendChild(em);
        span.appendChild(document.createTextNode(shown.slice(at + length, to) + (to < doc.length ? '…' : '')));
        return span;
    }

    function show(query) {
        var q = normalise(query);
        var hits = search(query);
        list.textContent = '';
        hits.forEach(function (hit) {
            var doc = data.docs[hit.doc];
            var li = document.createElement('li');
            var a = document.createElement('a');
            a.href = root + doc[0];
            a.textContent = doc[1];
            li.appendChild(a);
            li.appendChild(teaser(hit, q.length));
            list.appendChild(li);
        });
        var word = lang === 'ja' ? '件' : (hits.length === 1 ? ' result' : ' results');
        header.textContent = lang === 'ja'
            ? '「' + query + '」の検索結果: ' + hits.length + word
            : hits.length + word + ' for \'' + query + '\':';
        outer.classList.toggle('hidden', !q);
        if (content) { content.classList.toggle('hidden', !!q); }
    }

    function setUrl(query) {
        var url = new URL(window.location.href);
        if (query) { url.searchParams.set('search', query); } else { url.searchParams.delete('search'); }
        window.history.replaceState({}, '', url.toString());
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
        if (content) { content.classList.remove('hidden'); }
        if (toggle) { toggle.setAttribute('aria-expanded', 'false'); }
        setUrl('');
    }

    var pending = null;
    function onInput() {
        var query = bar.value;
        clearTimeout(pending);
        pending = setTimeout(function () {
            load().then(function () { show(query); setUrl(query); });
        }, 30);
    }

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

    var initial = new URL(window.location.href).searchParams.get('search');
    if (initial) {
        bar.value = initial;
        open(false);
        load().then(function () { show(initial); });
    }
    window.guidelineSearch = { search: function (q) { return load().then(function () { return search(q).map(function (h) { return data.docs[h.doc][0]; }); }); } };
})();
