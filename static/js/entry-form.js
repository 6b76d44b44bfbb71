/* The entry form (joining and editing): the questions only organisations answer
 * ([data-organisations-only]) are hidden while "Practitioner" is chosen. Without JavaScript
 * they show for everyone and the server ignores them for practitioners. The hidden attribute
 * takes them out of the page for assistive technology too; they are never hidden while they
 * hold the focus, which stays on the kind the person has just chosen. */
(function () {
  "use strict";

  var form = document.querySelector(".entry-form");
  if (!form) return;
  var organisationsOnly = form.querySelectorAll("[data-organisations-only]");

  function chosenKind() {
    return form.querySelector('input[name="kind"]:checked');
  }

  function showWhatApplies() {
    var chosen = chosenKind();
    var practitioner = chosen !== null && chosen.value === "practitioner";
    organisationsOnly.forEach(function (part) {
      if (practitioner && part.contains(document.activeElement)) chosen.focus();
      part.hidden = practitioner;
    });
  }

  form.querySelectorAll('input[name="kind"]').forEach(function (radio) {
    radio.addEventListener("change", showWhatApplies);
  });
  showWhatApplies();
})();
