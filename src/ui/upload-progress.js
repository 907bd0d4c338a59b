// Progressive enhancement for forms marked data-upload-progress: the upload is sent with
// XMLHttpRequest so the page can show how much of a large file has been sent; the answer replaces
// the page as a normal submission would. Without JavaScript the form submits as usual.
(function () {
  'use strict';
  function replacePage(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    var heading = document.querySelector('main h1, main h2[id]');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }
  document.querySelectorAll('form[data-upload-progress]').forEach(function (form) {
    var status = form.querySelector('[data-upload-status]');
    var bar = form.querySelector('progress');
    if (!status || !bar || typeof FormData !== 'function') return;
    form.addEventListener('submit', function (event) {
      var submitter = event.submitter || null;
      var action = (submitter && submitter.getAttribute('formaction')) || form.getAttribute('action');
      var data;
      try {
        data = new FormData(form, submitter);
      } catch (e) {
        return; // an older browser: let the form submit by itself
      }
      event.preventDefault();
      form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
      bar.hidden = false;
      bar.value = 0;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', action);
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.floor((e.loaded / e.total) * 100);
        bar.value = percent;
        status.textContent = form.getAttribute('data-upload-label').replace('{percent}', String(percent));
      });
      xhr.upload.addEventListener('load', function () {
        bar.removeAttribute('value');
        status.textContent = form.getAttribute('data-upload-working');
      });
      xhr.addEventListener('load', function () {
        replacePage(xhr.responseText);
      });
      xhr.addEventListener('error', function () {
        form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
        bar.hidden = true;
        status.textContent = form.getAttribute('data-upload-failed');
      });
      xhr.send(data);
    });
  });
})();
