// Progressive enhancement for the first step of a destructive action (ConfirmLink, a[data-confirm]):
// instead of leaving the page, the link's confirmation page is fetched and its .confirmation section
// shown in a modal <dialog>. The form inside posts normally, so the server does exactly what the
// confirmation page would. Anything unexpected (no <dialog>, a network error, an answer without a
// confirmation) falls back to following the link.
(function () {
  'use strict';
  if (typeof HTMLDialogElement !== 'function' || typeof fetch !== 'function' || typeof DOMParser !== 'function') return;

  var dialog = null;
  var opener = null;

  function ensureDialog() {
    if (dialog) return dialog;
    dialog = document.createElement('dialog');
    dialog.className = 'confirm-dialog';
    dialog.setAttribute('aria-labelledby', 'confirmation-question');
    dialog.addEventListener('close', function () {
      dialog.replaceChildren();
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
    // A click on the backdrop (outside the dialog's box) closes it, as Escape does.
    dialog.addEventListener('click', function (event) {
      if (event.target !== dialog) return;
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function show(link, section) {
    var d = ensureDialog();
    d.replaceChildren(document.adoptNode(section));
    // Cancel closes the dialog instead of loading the page it points to.
    d.querySelectorAll('.confirmation__actions a').forEach(function (cancel) {
      cancel.addEventListener('click', function (event) {
        event.preventDefault();
        d.close();
      });
    });
    opener = link;
    d.showModal();
    var first = d.querySelector('input:not([type=hidden]), select, textarea, button, a[href]');
    if (first) first.focus();
  }

  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target instanceof Element ? event.target.closest('a[data-confirm]') : null;
    if (!link || !link.href) return;
    event.preventDefault();
    var href = link.href;
    fetch(href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var section = doc.querySelector('.confirmation');
        if (!section || !section.querySelector('form')) throw new Error('no confirmation');
        show(link, section);
      })
      .catch(function () {
        window.location.assign(href);
      });
  });
})();
