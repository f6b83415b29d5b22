// Print buttons (the printable statement): each `<template data-print>` holds a button that
// prints the page. The button is put on the page only here, so that without JavaScript there
// is no button that does nothing (the browser's own Print menu does the same).
(function () {
  "use strict";
  var templates = document.querySelectorAll("template[data-print]");
  Array.prototype.forEach.call(templates, function (template) {
    var button = template.content.firstElementChild;
    if (!button) return;
    button = button.cloneNode(true);
    button.addEventListener("click", function () {
      window.print();
    });
    template.parentNode.insertBefore(button, template);
  });
})();
