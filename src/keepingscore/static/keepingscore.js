// Keeping Score: printed pages show every dropdown's content (rebuttal blocks, answers in the teacher edition).
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
});
