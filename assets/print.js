// Print buttons (the printable statement): a button marked `data-print` prints the page.
// Without JavaScript the button stays hidden, and the browser's own Print menu does the same.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
