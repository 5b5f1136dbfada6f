// A button with data-copy-target copies that element's text. Listening on the document serves
// buttons that htmx swaps in later too. Without a clipboard (a page served over plain HTTP) the
// button says so, rather than seeming to work.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) { return; }
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  if (!source) { return; }
  var label = button.getAttribute("data-label") || button.textContent;
  button.setAttribute("data-label", label);
  if (!navigator.clipboard) {
    button.textContent = "Select and copy manually";
    return;
  }
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 2000);
  }, function () {
    button.textContent = "Select and copy manually";
  });
});
