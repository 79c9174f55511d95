/*
 * Small helpers on paper, tag and listing pages:
 * - "Copy BibTeX" on a paper page (the button stays hidden without JavaScript,
 *   where selecting the entry by hand still works);
 * - "Newest first" on a tag or listing page whose papers carry dates (data-date,
 *   the first submission to arXiv): the list can be read in its own order or by
 *   date, and the choice is kept in the address (#newest) so it can be shared;
 * - "Most upvoted" beside it on a listing fetched from Hugging Face, whose papers
 *   carry their upvotes at the fetch date (data-upvotes; #upvotes in the address).
 */
(function () {
  "use strict"

  for (const button of document.querySelectorAll("button.pc-copy[data-copy]")) {
    const source = document.getElementById(button.dataset.copy)
    const status = button.parentElement.querySelector(".pc-copy-status")
    if (!source) continue
    button.hidden = false
    button.addEventListener("click", async () => {
      const text = source.textContent
      let copied = false
      try {
        await navigator.clipboard.writeText(text)
        copied = true
      } catch (error) {
        /* No clipboard permission (an insecure origin, a browser setting): select the
           entry so Ctrl+C copies it, and say so */
        const range = document.createRange()
        range.selectNodeContents(source)
        const selection = getSelection()
        selection.removeAllRanges()
        selection.addRange(range)
      }
      if (status) status.textContent = copied ? "Copied." : "Selected: press Ctrl+C to copy."
    })
  }

  for (const list of document.querySelectorAll("[data-sortable]")) {
    const items = [...list.children]
    const dated = items.filter(li => li.dataset.date).length >= 2
    const voted = items.filter(li => li.dataset.upvotes).length >= 2
    if (!dated && !voted) continue
    const orders = {
      own: items.slice(),
      newest: items.slice().sort((a, b) =>
        (b.dataset.date || "").localeCompare(a.dataset.date || "")),
      /* a stable sort: equal counts keep the listing's order */
      upvotes: items.slice().sort((a, b) =>
        Number(b.dataset.upvotes || -1) - Number(a.dataset.upvotes || -1)),
    }
    const control = document.createElement("p")
    control.className = "pc-sort"
    control.setAttribute("role", "group")
    control.setAttribute("aria-label", "Order of the papers")
    control.innerHTML =
      `Order: <button type="button" data-order="own" aria-pressed="true"></button>` +
      (dated ? ` <button type="button" data-order="newest" aria-pressed="false">Newest first</button>` : "") +
      (voted ? ` <button type="button" data-order="upvotes" aria-pressed="false">Most upvoted</button>` : "")
    control.querySelector('[data-order="own"]').textContent =
      list.tagName === "OL" ? "Listing order" : "A–Z"
    list.before(control)
    const show = order => {
      for (const li of orders[order]) list.appendChild(li)
      /* a numbered listing keeps its own numbers whatever the order */
      if (list.tagName === "OL") for (const [i, li] of orders.own.entries()) li.value = i + 1
      for (const button of control.querySelectorAll("button"))
        button.setAttribute("aria-pressed", String(button.dataset.order === order))
      list.dataset.order = order
    }
    for (const button of control.querySelectorAll("button")) {
      button.addEventListener("click", () => {
        const order = button.dataset.order
        const hash = order === "own" ? "" : `#${order}`
        history.replaceState(null, "", location.pathname + location.search + hash)
        show(order)
      })
    }
    const asked = location.hash.slice(1)
    const offered = [...control.querySelectorAll("button")].map(b => b.dataset.order)
    show(offered.includes(asked) ? asked : "own")
  }
})()
