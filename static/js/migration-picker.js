// "Select all shown" on the migration page: it ticks every row, shows a partial selection as
// indeterminate, and any change means the operator wants the checked rows, not all matching.
(function () {
  var all = document.getElementById("select-all-shown");
  if (!all) { return; }
  var picks = Array.prototype.slice.call(document.querySelectorAll("#candidate-table input.pick"));
  function sync() {
    var checked = picks.filter(function (box) { return box.checked; }).length;
    all.checked = checked > 0 && checked === picks.length;
    all.indeterminate = checked > 0 && checked < picks.length;
  }
  all.addEventListener("change", function () {
    picks.forEach(function (box) { box.checked = all.checked; });
    document.getElementById("selection-picked").checked = true;
  });
  picks.forEach(function (box) {
    box.addEventListener("change", function () {
      sync();
      document.getElementById("selection-picked").checked = true;
    });
  });
  sync();
})();
