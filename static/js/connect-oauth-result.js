// The last page of the vendor popup: the link's page in the operator's iframe learns the
// outcome from our server, so this window only has to go away (browsers let a script close a
// window a script opened). Without that, its text tells the customer to close it.
window.setTimeout(function () {
  window.close();
}, 1200);
