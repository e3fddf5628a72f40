// Builds content/*.md (the corpus from make_corpus.py) into _site/ the way the Hugo
// peer does: a page per file at /page-NNNNN/ and a home page that links to every page.
import syntaxHighlight from "@11ty/eleventy-plugin-syntaxhighlight";

export const config = {
  dir: { input: "content", includes: "../_includes", output: "_site" },
  // The corpus is plain Markdown: don't run it through Liquid first (Hugo doesn't template content).
  markdownTemplateEngine: false,
};

export default function (eleventyConfig) {
  // Highlight fenced code with Prism, as Hugo highlights it with Chroma.
  eleventyConfig.addPlugin(syntaxHighlight);

  eleventyConfig.addGlobalData("site", { title: "Peer bench" });
  eleventyConfig.addGlobalData("layout", "page.njk");

  // Front matter dates are UTC timestamps; Hugo's .Date.Format "2006-01-02" prints the UTC day.
  eleventyConfig.addFilter("isoDay", (date) => date.toISOString().slice(0, 10));

  // Newest first, like Hugo's default page order. `tags` also makes one collection per tag;
  // nothing renders those, so they cost one pass over the pages.
  eleventyConfig.addCollection("pages", (api) => api.getFilteredByGlob("./content/*.md").reverse());

  // The home page lives here, not in content/, so content/ holds the corpus and nothing else.
  eleventyConfig.addTemplate("index.njk", "", { layout: "home.njk", title: "Peer bench" });
}
