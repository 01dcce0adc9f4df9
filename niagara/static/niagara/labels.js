// Labels in the admin: the comma-separated input stays the form's value; this shows each label
// as a tag with a remove button and adds one on Enter or a comma. Without scripts the plain
// text input still works.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input.niagara-labels")) {
    const box = document.createElement("div");
    box.className = "niagara-labels-box";
    const entry = document.createElement("input");
    entry.type = "text";
    entry.className = "niagara-labels-entry";
    entry.setAttribute("aria-label", "Add a label");
    entry.placeholder = "add a label";
    input.type = "hidden";
    input.after(box);

    const labels = () => input.value.split(",").map((s) => s.trim()).filter(Boolean);
    const store = (list) => { input.value = [...new Set(list)].join(", "); draw(); };
    const draw = () => {
      box.replaceChildren();
      for (const label of labels()) {
        const tag = document.createElement("span");
        tag.className = "niagara-label";
        tag.textContent = label;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", `Remove label ${label}`);
        remove.addEventListener("click", () => store(labels().filter((l) => l !== label)));
        tag.append(remove);
        box.append(tag);
      }
      box.append(entry);
    };
    const add = () => {
      const typed = entry.value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
      entry.value = "";
      if (typed.length) store([...labels(), ...typed]);
      entry.focus();
    };
    entry.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === ",") { event.preventDefault(); add(); }
      else if (event.key === "Backspace" && !entry.value) store(labels().slice(0, -1));
    });
    // A label typed but not yet confirmed still counts when the form is saved.
    input.form?.addEventListener("submit", add);
    draw();
  }
});
