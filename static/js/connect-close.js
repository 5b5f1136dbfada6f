// Inside the operator's iframe, "Close" asks the parent page to close the flow, as Kombo's
// @kombo-api/connect library expects.
document.getElementById("connect-close").addEventListener("click", function () {
  window.parent.postMessage({ type: "close" }, "*");
});
