// The site's own book.js, in place of mdBook's: only the parts of the theme a guideline page
// uses. mdBook's script also carries the Rust playground, code highlighting and copy buttons,
// which no page of the site has, and it needs highlight.js and clipboard.js to load; this
// one needs nothing. It works mdBook's markup (index.hbs) as the stock script does:
// - the theme menu (Auto, Light, Rust, Coal, Navy, Ayu), remembered in localStorage
//   under `mdbook-theme` as mdBook does, and following the system's dark mode on Auto;
// - the sidebar: its toggle, remembered under `mdbook-sidebar`, drag to resize, swipe on
//   a touch screen;
// - the keyboard: left and right arrows for the previous and next page, `?` for the help;
// - the menu bar that hides while scrolling down and comes back when scrolling up, and its
//   title that scrolls to the top;
// - inline code marked `hljs`, the class mdBook's stylesheets give inline code its look by.
(function () {
    'use strict';
    var html = document.documentElement;

    // Where storage is off (site data blocked), a choice is kept here for this page.
    var kept = {};
    function stored(key) {
        try { return localStorage.getItem(key); } catch (e) { return kept.hasOwnProperty(key) ? kept[key] : null; }
    }
    function store(key, value) {
        try {
            if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); }
        } catch (e) {
            if (value === null) { delete kept[key]; } else { kept[key] = value; }
        }
    }

    // As mdBook's script does: a page with an unload handler is not kept in the back/forward
    // cache, so going back shows the theme and sidebar chosen since, not those of before.
    window.onunload = function () {};

    // Typing in a field must not turn pages or open menus.
    function typing(e) {
        var target = (e.composedPath && e.composedPath()[0]) || e.target;
        return /^(?:input|select|textarea)$/i.test(target.nodeName) && !target.classList.contains('checkbox-img');
    }

    // ------------------------------------------------------------------ themes
    (function () {
        var button = document.getElementById('mdbook-theme-toggle');
        var popup = document.getElementById('mdbook-theme-list');
        var colorMeta = document.querySelector('meta[name="theme-color"]');
        if (!button || !popup) { return; }
        var ids = Array.prototype.map.call(popup.querySelectorAll('button.theme'), function (b) {
            return b.id.replace(/^mdbook-theme-/, '');
        });
        var dark = window.matchMedia('(prefers-color-scheme: dark)');
        var current = null;

        function chosen() {
            var theme = stored('mdbook-theme');
            return theme !== null && ids.indexOf(theme) >= 0 ? theme : null;
        }
        function wanted() {
            var theme = chosen();
            if (theme !== null) { return theme; }
            if (typeof default_dark_theme === 'undefined') { return default_theme; }
            return dark.matches ? default_dark_theme : default_light_theme;
        }
        function apply(theme) {
            // The page's head script set a theme class before anything was drawn.
            html.classList.remove(current === null ? default_theme : current);
            html.classList.remove(default_light_theme, default_dark_theme);
            html.classList.add(theme);
            current = theme;
            setTimeout(function () {
                if (colorMeta) { colorMeta.content = getComputedStyle(html).backgroundColor; }
            }, 1);
            var mark = chosen() === null ? 'default_theme' : theme;
            Array.prototype.forEach.call(popup.querySelectorAll('button.theme'), function (b) {
                b.classList.toggle('theme-selected', b.id === 'mdbook-theme-' + mark);
            });
        }
        function open() {
            popup.style.display = 'block';
            button.setAttribute('aria-expanded', 'true');
            // The theme shown, also on Auto (as mdBook's menu does).
            var item = document.getElementById('mdbook-theme-' + current);
            (item || popup.querySelector('button')).focus();
        }
        function close() {
            popup.style.display = 'none';
            button.setAttribute('aria-expanded', 'false');
            button.focus();
        }
        function isOpen() { return popup.style.display === 'block'; }

        apply(wanted());
        // (onchange: older Safari has no addEventListener on a media query.)
        dark.onchange = function () { apply(wanted()); };
        button.addEventListener('click', function () { if (isOpen()) { close(); } else { open(); } });
        popup.addEventListener('click', function (e) {
            var item = e.target.closest('button.theme');
            if (!item) { return; }
            var theme = item.id.replace(/^mdbook-theme-/, '');
            store('mdbook-theme', theme === 'default_theme' ? null : theme);
            apply(wanted());
        });
        popup.addEventListener('focusout', function (e) {
            if (e.relatedTarget && !button.contains(e.relatedTarget) && !popup.contains(e.relatedTarget)) { close(); }
        });
        document.addEventListener('click', function (e) {
            if (isOpen() && !button.contains(e.target) && !popup.contains(e.target)) { close(); }
        });
        popup.addEventListener('keydown', function (e) {
            if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
            var items = Array.prototype.slice.call(popup.querySelectorAll('button'));
            var at = items.indexOf(document.activeElement);
            var to = null;
            if (e.key === 'Escape') { e.preventDefault(); close(); return; }
            if (e.key === 'ArrowUp') { to = Math.max(at - 1, 0); }
            if (e.key === 'ArrowDown') { to = Math.min(at + 1, items.length - 1); }
            if (e.key === 'Home') { to = 0; }
            if (e.key === 'End') { to = items.length - 1; }
            if (to !== null) { e.preventDefault(); items[to].focus(); }
        });
    })();

    // ------------------------------------------------------------------ sidebar
    (function () {
        var sidebar = document.getElementById('mdbook-sidebar');
        var toggle = document.getElementById('mdbook-sidebar-toggle');
        var handle = document.getElementById('mdbook-sidebar-resize-handle');
        var checkbox = document.getElementById('mdbook-sidebar-toggle-anchor');
        if (!sidebar || !toggle || !checkbox) { return; }

        // A hidden sidebar is taken out of the page (display: none) once it has slid away,
        // so that the browser's find-in-page does not stop in it.
        if (!html.classList.contains('sidebar-visible')) { sidebar.style.display = 'none'; }
        sidebar.addEventListener('transitionend', function () {
            if (!checkbox.checked) { sidebar.style.display = 'none'; }
        });
        toggle.addEventListener('click', function () {
            if (!checkbox.checked) {
                sidebar.style.display = '';
                void sidebar.offsetHeight; // lay it out first, so that it slides in
            }
        });

        function show(visible) {
            html.classList.toggle('sidebar-visible', visible);
            Array.prototype.forEach.call(sidebar.querySelectorAll('a'), function (a) {
                a.setAttribute('tabIndex', visible ? 0 : -1);
            });
            toggle.setAttribute('aria-expanded', String(visible));
            sidebar.setAttribute('aria-hidden', String(!visible));
            store('mdbook-sidebar', visible ? 'visible' : 'hidden');
        }
        checkbox.addEventListener('change', function () {
            if (checkbox.checked) {
                var width = parseInt(html.style.getPropertyValue('--sidebar-target-width'), 10);
                if (width < 150) { html.style.setProperty('--sidebar-target-width', '150px'); }
            }
            show(checkbox.checked);
        });

        function drag(e) {
            var width = e.clientX - sidebar.offsetLeft;
            if (width < 20) { show(false); return; }
            if (!html.classList.contains('sidebar-visible')) { show(true); }
            html.style.setProperty('--sidebar-target-width', Math.min(width, window.innerWidth - 100) + 'px');
        }
        function drop() {
            html.classList.remove('sidebar-resizing');
            window.removeEventListener('mousemove', drag, false);
            window.removeEventListener('mouseup', drop, false);
        }
        if (handle) {
            handle.addEventListener('mousedown', function () {
                html.classList.add('sidebar-resizing');
                window.addEventListener('mousemove', drag, false);
                window.addEventListener('mouseup', drop, false);
            }, false);
        }

        // A quick swipe from the left edge opens it; a quick swipe back closes it.
        var touch = null;
        document.addEventListener('touchstart', function (e) {
            touch = { x: e.touches[0].clientX, time: Date.now() };
        }, { passive: true });
        document.addEventListener('touchmove', function (e) {
            if (!touch) { return; }
            var x = e.touches[0].clientX;
            var dx = x - touch.x;
            if (Date.now() - touch.time < 250 && Math.abs(dx) >= 150) {
                if (dx >= 0 && touch.x < Math.min(document.body.clientWidth * 0.25, 300)) {
                    show(true);
                } else if (dx < 0 && x < 300) {
                    show(false);
                }
                touch = null;
            }
        }, { passive: true });
    })();

    // ------------------------------------------------------------------ keyboard
    (function () {
        var help = document.getElementById('mdbook-help-container');
        var popup = document.getElementById('mdbook-help-popup');

        function go(which) {
            var link = document.querySelector('.nav-chapters.' + which);
            if (link) { window.location.href = link.href; }
        }
        function hideHelp() {
            help.style.display = 'none';
            document.removeEventListener('keydown', escape, true);
            help.removeEventListener('mousedown', outside);
        }
        function escape(e) {
            if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); hideHelp(); }
        }
        function outside(e) {
            if (popup.contains(e.target) || e.button !== 0) { return; }
            e.preventDefault();
            e.stopPropagation();
            hideHelp();
        }

        document.addEventListener('keydown', function (e) {
            if (e.altKey || e.ctrlKey || e.metaKey || typing(e)) { return; }
            if (e.key === '?' && help && popup) {
                e.preventDefault();
                help.style.display = 'flex';
                document.addEventListener('keydown', escape, true);
                help.addEventListener('mousedown', outside);
                return;
            }
            if (e.key === 'Escape') {
                Array.prototype.forEach.call(document.querySelectorAll('input.checkbox-img'), function (c) { c.checked = false; });
            }
            if (e.shiftKey) { return; }
            var rtl = html.dir === 'rtl';
            if (e.key === 'ArrowRight') { e.preventDefault(); go(rtl ? 'previous' : 'next'); }
            if (e.key === 'ArrowLeft') { e.preventDefault(); go(rtl ? 'next' : 'previous'); }
        });
    })();

    // ------------------------------------------------------------------ menu bar
    (function () {
        var menu = document.getElementById('mdbook-menu-bar');
        var title = document.querySelector('.menu-title');
        if (title) {
            title.addEventListener('click', function () {
                document.scrollingElement.scrollTo({ top: 0, behavior: 'smooth' });
            });
        }
        if (!menu) { return; }
        // The bar scrolls away with the page going down and slides back in (sticky) going up.
        // It is measured in the first frame, which lays the page out anyway (measuring it
        // now would make the browser lay out the page while it is still being read in).
        requestAnimationFrame(function () {
            var last = document.scrollingElement.scrollTop;
            var top = last;
            var sticky = false;
            var hidden = -menu.clientHeight - 50;
            menu.style.top = top + 'px';
            menu.classList.remove('sticky');
            function border() { menu.classList.toggle('bordered', menu.offsetTop !== 0); }
            document.addEventListener('scroll', function () {
                var now = Math.max(document.scrollingElement.scrollTop, 0);
                var above = top - now;
                var nextSticky = null;
                var nextTop = null;
                if (now > last) {
                    nextSticky = false;
                    if (above > 0) { nextTop = last; }
                } else if (above > 0) {
                    nextSticky = true;
                } else if (above < hidden) {
                    nextTop = last + hidden;
                }
                if (nextSticky !== null && nextSticky !== sticky) {
                    menu.classList.toggle('sticky', nextSticky);
                    sticky = nextSticky;
                }
                if (nextTop !== null) {
                    menu.style.top = nextTop + 'px';
                    top = nextTop;
                }
                last = now;
                border();
            }, { passive: true });
            border();
        });
    })();

    // ------------------------------------------------------------------ inline code
    Array.prototype.forEach.call(document.querySelectorAll('code'), function (code) {
        if (!code.parentElement.classList.contains('header')) { code.classList.add('hljs'); }
    });
})();
