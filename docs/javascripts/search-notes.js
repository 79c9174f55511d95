/*
 * What the paper search tells a reader besides its results: the word it searched
 * instead of a misspelt one ("Showing results for diffusion", the word as typed one
 * click away), a word that may be misspelt ("Did you mean …?"), words left out as too
 * common, and how many papers have every word of the query.
 *
 * The search worker (paper-search-worker.js) sends these beside each answer. The
 * Search page (find.js) shows them with its own status line; for Material's header
 * box, which shows only results, this script listens to the worker Material starts
 * (it is loaded in the page head, before Material's bundle creates the worker) and
 * puts them under Material's result count.
 */
(function () {
  "use strict"

  const wordIn = (query, word) =>
    new RegExp(`(^|[^\\p{L}\\p{N}"])(${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})(?=$|[^\\p{L}\\p{N}"])`, "iu")

  /* The query with one word replaced (matched as the reader typed it, in any case);
     the folded word the worker names may not be in it as typed: then the whole query */
  function replaceWord(query, from, to) {
    const pattern = wordIn(query, from)
    return pattern.test(query) ? query.replace(pattern, (_, before) => before + to) : to
  }

  function button(label, onClick) {
    const el = document.createElement("button")
    el.type = "button"
    el.className = "pc-search-note__retry"
    el.textContent = label
    el.addEventListener("click", onClick)
    return el
  }

  function strong(text) {
    const el = document.createElement("strong")
    el.textContent = text
    return el
  }

  /* Fill `box` with the notes of one answer; `retry(query)` searches again */
  function show(box, notes, query, retry) {
    const lines = []
    if (notes) {
      for (const { from, to } of notes.corrected) {
        const p = document.createElement("p")
        p.append("Showing results for ", strong(to), ". ",
          button(`Search instead for "${from}"`, () => retry(replaceWord(query, from, `"${from}"`))))
        lines.push(p)
      }
      for (const { from, to } of notes.suggested) {
        const p = document.createElement("p")
        p.append("Did you mean ", button(to, () => retry(replaceWord(query, from, to))), "?")
        lines.push(p)
      }
      if (notes.dropped.length) {
        const p = document.createElement("p")
        p.textContent = `Left out as too common: ${notes.dropped.join(", ")}.`
        lines.push(p)
      }
    }
    box.replaceChildren(...lines)
    box.hidden = lines.length === 0
  }

  window.paperSearchNotes = { show, replaceWord }

  /* Material's header box: the notes go under its result count, and the count of
     papers with every word beside them */
  function headerNotes(message) {
    const result = document.querySelector("[data-md-component=search-result]")
    const input = document.querySelector("[data-md-component=search-query]")
    if (!result || !input) return
    let box = result.querySelector(".pc-search-note")
    if (!box) {
      box = document.createElement("div")
      box.className = "pc-search-note"
      box.setAttribute("aria-live", "polite")
      result.querySelector(".md-search-result__meta").after(box)
    }
    const notes = message.data.notes
    show(box, notes, message.query, query => {
      input.value = query
      input.focus()
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
    })
    if (notes && notes.words > 1 && notes.all < notes.total && notes.total) {
      const p = document.createElement("p")
      p.textContent = notes.all
        ? `${notes.all} with every word first, then ${notes.total - notes.all} with some.`
        : `No paper has every word: ${notes.total} have some.`
      box.append(p)
      box.hidden = false
    }
  }

  const Native = window.Worker
  if (!Native) return
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options)
      if (String(url).includes("paper-search-worker"))
        this.addEventListener("message", ev => {
          const m = ev.data
          if (m && m.type === 3 && m.data && "notes" in m.data) headerNotes(m)
        })
    }
  }
})()
