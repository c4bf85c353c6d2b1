// Workshop facilitator: next / previous item by keyboard (arrows, or a presenter's Page Up/Down).
document.addEventListener("keydown", function (event) {
  var next = document.getElementById("workshop-fac-next");
  if (!next || event.altKey || event.ctrlKey || event.metaKey) { return; }
  var tag = (event.target && event.target.tagName) || "";
  if (/^(INPUT|TEXTAREA|SELECT)$/.test(tag) || (event.target && event.target.isContentEditable)) { return; }
  var target = null;
  if (event.key === "ArrowRight" || event.key === "PageDown") { target = next; }
  if (event.key === "ArrowLeft" || event.key === "PageUp") { target = document.getElementById("workshop-fac-prev"); }
  if (target) { event.preventDefault(); target.click(); }
});
