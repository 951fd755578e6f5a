// The workspace's only script (served from the package; the pages work without it too):
// progress of running checks, and filters that apply as soon as a choice changes.
(function () {
  'use strict';
  var labels = {running: '进行中', done: '已完成', failed: '失败'};

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  function show(run) {
    each('progress[data-run="' + run.id + '"]', function (bar) { bar.max = run.total || 1; bar.value = run.done; });
    each('.run-count[data-run="' + run.id + '"]', function (el) { el.textContent = run.done + '/' + run.total; });
    each('.run-errors[data-run="' + run.id + '"]', function (el) { el.textContent = run.errors; });
    each('.run-state[data-run="' + run.id + '"]', function (el) { el.textContent = labels[run.state] || run.state; });
    if (run.state !== 'running') {
      each('.run[data-run="' + run.id + '"]', function (el) { el.setAttribute('data-state', run.state); });
      each('.run-done', function (el) { el.hidden = false; });
    }
  }

  function poll(id) {
    fetch('/runs/' + id + '/status', {credentials: 'same-origin'})
      .then(function (response) { return response.json(); })
      .then(function (run) {
        show(run);
        if (run.state === 'running') { setTimeout(function () { poll(id); }, 700); }
      })
      .catch(function () { setTimeout(function () { poll(id); }, 3000); });
  }

  var ids = {};
  each('[data-run]', function (el) { ids[el.getAttribute('data-run')] = true; });
  Object.keys(ids).forEach(function (id) {
    var holder = document.querySelector('.run[data-run="' + id + '"]');
    if (!holder || holder.getAttribute('data-state') === 'running') { poll(id); }
  });

  each('select[data-autosubmit]', function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });
})();
