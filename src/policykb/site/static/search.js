// policykb site search: Pagefind's index (built by `policykb site`), read in the browser.
// Accent- and case-insensitive: Pagefind folds diacritics unless told otherwise.
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const input = document.getElementById("q");
const form = document.getElementById("search-form");
// the site's root, from the page's own relative link to it: works under any path prefix
const root = new URL(list.dataset.root, document.baseURI);
let pagefind = null;

async function engine() {
  if (pagefind === null) {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ baseUrl: root.pathname });
  }
  return pagefind;
}

function item(result) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = result.url;
  a.textContent = result.meta.title || result.url;
  const kind = document.createElement("span");
  kind.className = "meta";
  kind.textContent = result.meta.kind ? ` ${result.meta.kind}` : "";
  const p = document.createElement("p");
  p.innerHTML = result.excerpt; // Pagefind's excerpt: the page's text, escaped, with <mark>
  li.append(a, kind, p);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  const found = await (await engine()).search(query);
  const shown = await Promise.all(found.results.slice(0, 50).map((r) => r.data()));
  list.replaceChildren(...shown.map(item));
  const n = found.results.length;
  status.textContent = n === 0 ? `Nothing found for “${query}”.`
    : `${n} result${n === 1 ? "" : "s"} for “${query}”${n > shown.length ? `, the first ${shown.length} shown` : ""}.`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});

const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
run(initial);
