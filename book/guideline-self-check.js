// The self-check page: reads the answers from the form (and from the page's address, where
// they are kept so that a link or bookmark reopens them), and shows only the controls whose
// condition holds. A question not yet answered hides nothing: a control is hidden only when
// its condition is false whatever the open questions are answered (three-valued logic).
// Ticks ("done") are kept in this browser's localStorage and never leave it. No request is
// made: everything the page needs is in it.
(function () {
    'use strict';
    var form = document.getElementById('self-check-form');
    var dataNode = document.getElementById('self-check-data');
    if (!form || !dataNode) { return; }
    var data = JSON.parse(dataNode.textContent);
    var questions = data.questions;  // [[id, [values]], ...]
    var storageKey = 'guideline-self-check:' + data.edition;

    // true, false, or null (depends on an open question).
    function holds(c, answers) {
        if (c === true) { return true; }
        var op = c[0];
        if (op === '=' || op === '!=') {
            var v = answers[c[1]];
            if (v === undefined) { return null; }
            return (v === c[2]) === (op === '=');
        }
        if (op === 'not') {
            var x = holds(c[1], answers);
            return x === null ? null : !x;
        }
        var unknown = false;
        for (var i = 1; i < c.length; i++) {
            var r = holds(c[i], answers);
            if (op === 'and' && r === false) { return false; }
            if (op === 'or' && r === true) { return true; }
            if (r === null) { unknown = true; }
        }
        return unknown ? null : op === 'and';
    }

    function answersFromForm() {
        var answers = {};
        questions.forEach(function (q) {
            var checked = form.querySelector('input[name="' + q[0] + '"]:checked');
            if (checked) { answers[q[0]] = checked.value; }
        });
        return answers;
    }

    function setForm(answers) {
        questions.forEach(function (q) {
            form.querySelectorAll('input[name="' + q[0] + '"]').forEach(function (input) {
                input.checked = answers[q[0]] === input.value;
            });
        });
    }

    function answersFromUrl() {
        var params = new URL(window.location.href).searchParams;
        var answers = {};
        questions.forEach(function (q) {
            var v = params.get(q[0]);
            if (v !== null && q[1].indexOf(v) >= 0) { answers[q[0]] = v; }
        });
        return answers;
    }

    function keepInUrl(answers) {
        var url = new URL(window.location.href);
        questions.forEach(function (q) {
            if (answers[q[0]] !== undefined) { url.searchParams.set(q[0], answers[q[0]]); } else { url.searchParams.delete(q[0]); }
        });
        try { window.history.replaceState({}, '', url.toString()); } catch (e) { /* some browsers refuse it for file: pages */ }
    }

    function update() {
        var answers = answersFromForm();
        keepInUrl(answers);
        var shown = 0, total = 0;
        document.querySelectorAll('section.self-check-part').forEach(function (part) {
            var partShown = 0, partTotal = 0;
            part.querySelectorAll('tr[data-control]').forEach(function (row) {
                var c = data.conditions[row.getAttribute('data-control')];
                var applies = c === undefined || holds(c, answers) !== false;
                row.hidden = !applies;
                partTotal++;
                if (applies) { partShown++; }
            });
            part.hidden = partShown === 0;
            var count = part.querySelector('[data-count]');
            if (count) { count.textContent = '(' + partShown + ' / ' + partTotal + ')'; }
            shown += partShown;
            total += partTotal;
        });
        var summary = document.getElementById('self-check-summary');
        if (summary) {
            summary.textContent = summary.getAttribute('data-template').replace('{n}', shown).replace('{total}', total);
        }
    }

    function loadTicks() {
        var ticks = {};
        try { ticks = JSON.parse(window.localStorage.getItem(storageKey) || '{}') || {}; } catch (e) { ticks = {}; }
        document.querySelectorAll('input[data-done]').forEach(function (box) {
            box.checked = !!ticks[box.getAttribute('data-done')];
        });
    }

    function saveTick(box) {
        var ticks = {};
        try { ticks = JSON.parse(window.localStorage.getItem(storageKey) || '{}') || {}; } catch (e) { ticks = {}; }
        if (box.checked) { ticks[box.getAttribute('data-done')] = true; } else { delete ticks[box.getAttribute('data-done')]; }
        try { window.localStorage.setItem(storageKey, JSON.stringify(ticks)); } catch (e) { /* storage off: ticks last this visit */ }
    }

    form.addEventListener('change', update);
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    document.querySelectorAll('button[data-preset]').forEach(function (button) {
        button.addEventListener('click', function () {
            var id = button.getAttribute('data-preset');
            setForm(id ? data.presets[id] : {});
            update();
        });
    });
    document.querySelectorAll('input[data-done]').forEach(function (box) {
        box.addEventListener('change', function () { saveTick(box); });
    });
    var print = document.getElementById('self-check-print');
    if (print) { print.addEventListener('click', function () { window.print(); }); }

    setForm(answersFromUrl());
    loadTicks();
    update();
})();
