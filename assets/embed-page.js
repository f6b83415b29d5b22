// Copy buttons on the embed page (hidden without JavaScript; the code can be selected by hand).
(function () {
  "use strict";
  var status = document.getElementById("copied");
  var buttons = document.querySelectorAll("button.copy");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      var source = document.getElementById(this.getAttribute("data-copy"));
      source.select();
      var done = function () { if (status) status.textContent = status.getAttribute("data-text"); };
      if (navigator.clipboard) navigator.clipboard.writeText(source.value).then(done, function () {});
      else if (document.execCommand("copy")) done();
    });
  }
})();
