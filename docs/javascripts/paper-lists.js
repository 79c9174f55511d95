/*
 * Small helpers on paper, tag and listing pages:
 * - "Copy BibTeX" on a paper page (the button stays hidden without JavaScript,
 *   where selecting the entry by hand still works);
 * - the order of a tag or listing page's paper cards: its own (A–Z, or the listing's),
 *   newest first (data-date, the first submission to arXiv, when two or more cards
 *   have one) or most-listed first (data-listed: a paper several listings carry), kept
 *   in the address (?sort=newest) so it can be shared; "most upvoted" on a listing
 *   fetched from Hugging Face, whose cards carry their upvotes at the fetch date
 *   (data-upvotes).
 * A long list (data-shown: more papers than one screen) is not sorted here: sorting the
 * cards it shows would sort a part while claiming to sort the tag. The build chose each
 * order's first screen over the whole tag or listing (generator/render/pages.py,
 * FirstScreen; data-order-<order>: which cards, in what order); this shows it, and the
 * page's link leads to all of them on the Search page.
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

  /* Orders of a list of paper cards. The page comes in its own order ("az" on a tag
     page, "listing" on a listing page), which is what a reader without JavaScript
     gets; the others are made here from the cards' data-date and data-listed. */
  const ORDERS = {
    listing: "Listing order",
    az: "A–Z",
    newest: "Newest first",
    listed: "Most-listed",
    upvotes: "Most upvoted"
  }
  const title = card => card.querySelector("h2, h3").textContent
  const byTitle = (a, b) => title(a).localeCompare(title(b), "en", { sensitivity: "base" })
  /* Sort stable on the page's own order: ties keep it */
  const sorters = {
    az: byTitle,
    newest: (a, b) => (b.dataset.date || "").localeCompare(a.dataset.date || ""),
    listed: (a, b) => Number(b.dataset.listed || 1) - Number(a.dataset.listed || 1),
    upvotes: (a, b) => Number(b.dataset.upvotes || -1) - Number(a.dataset.upvotes || -1)
  }
  /* An order is offered only where two or more cards carry what it sorts by */
  const needs = { newest: "date", upvotes: "upvotes" }

  /* data-order-newest -> dataset.orderNewest */
  const chosen = order => `order${order[0].toUpperCase()}${order.slice(1)}`
  /* How the sentence above a long list names each order */
  const SAID = {
    listing: "in the listing's order",
    az: "A–Z",
    newest: "newest first",
    listed: "most-listed first",
    upvotes: "most upvoted first"
  }

  for (const list of document.querySelectorAll("[data-sortable]")) {
    const own = list.dataset.sortable
    const cards = [...list.children]
    const long = "shown" in list.dataset
    if (cards.length < 2) continue
    const orders = long
      ? [own, ...Object.keys(sorters)].filter((o, i, all) =>
        all.indexOf(o) === i && list.dataset[chosen(o)] !== undefined)
      : [own, ...Object.keys(sorters).filter(o => o !== own)].filter(o =>
        !needs[o] || cards.filter(c => c.dataset[needs[o]]).length >= 2)
    const said = list.parentElement.querySelector(".pc-shown-order")
    const control = document.createElement("p")
    control.className = "pc-sort"
    control.setAttribute("role", "group")
    control.setAttribute("aria-label", "Order of the papers")
    control.append("Order: ")
    for (const order of orders) {
      const button = document.createElement("button")
      button.type = "button"
      button.dataset.order = order
      button.className = `pc-sort-${order === own ? "own" : order}`
      button.textContent = ORDERS[order]
      button.addEventListener("click", () => {
        /* The order is kept in the address (?sort=newest), the own order as none */
        const url = new URL(location.href)
        if (order === own) url.searchParams.delete("sort")
        else url.searchParams.set("sort", order)
        url.hash = ""
        history.replaceState(null, "", url)
        show(order)
      })
      control.append(button, " ")
    }
    list.before(control)
    const show = order => {
      if (long) {
        /* This order's first screen, as the build chose it over the whole list */
        const picked = list.dataset[chosen(order)].split(" ").map(Number).map(i => cards[i])
        for (const card of cards) card.hidden = !picked.includes(card)
        list.append(...picked, ...cards.filter(card => card.hidden))
        if (said) said.textContent = SAID[order]
      } else {
        const sorted = order === own ? cards : cards.slice().sort(sorters[order])
        list.append(...sorted)
      }
      for (const button of control.querySelectorAll("button"))
        button.setAttribute("aria-pressed", String(button.dataset.order === order))
      list.dataset.order = order === own ? "own" : order
    }
    /* ?sort=…; #newest and #upvotes are how the address kept an order before */
    const asked = new URLSearchParams(location.search).get("sort") ||
      ({ "#newest": "newest", "#upvotes": "upvotes" })[location.hash] || own
    show(orders.includes(asked) ? asked : own)
  }
})()
