// A queue's board: drag rows (or focus a row's handle and press the arrow keys) into a new
// order; the page's Save keeps it, once. Without JavaScript the ▲▼ buttons still work.
document.addEventListener("DOMContentLoaded", () => {
  const order = document.getElementById("board-order");
  const pick = document.querySelector("input[name=board_batches]");
  if (!order || !pick) return;
  const body = pick.closest("tbody");
  const notice = document.getElementById("board-order-notice");
  const rows = () => [...body.querySelectorAll("tr")].filter(
    (row) => row.querySelector("input[name=board_batches]"));
  const record = () => {
    order.value = rows().map((row) => row.querySelector("input[name=board_batches]").value).join(",");
    if (notice) notice.hidden = false;
  };
  let dragged = null;
  for (const row of rows()) {
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      row.classList.add("dragging");
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("dragging");
      if (dragged) record();
      dragged = null;
    });
    row.addEventListener("dragover", (event) => {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const below = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, below ? row.nextSibling : row);
    });
    row.addEventListener("drop", (event) => { event.preventDefault(); record(); });
    const handle = row.querySelector(".drag-handle");
    if (handle) handle.addEventListener("keydown", (event) => {
      const sibling = event.key === "ArrowUp" ? row.previousElementSibling
        : event.key === "ArrowDown" ? row.nextElementSibling : null;
      if (!sibling || !sibling.querySelector("input[name=board_batches]")) return;
      event.preventDefault();
      body.insertBefore(row, event.key === "ArrowUp" ? sibling : sibling.nextSibling);
      handle.focus();
      record();
    });
  }
});
