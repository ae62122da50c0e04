/**
 * Text people typed, made safe to show in a TextBlock or a FactSet value, where Teams renders a
 * subset of Markdown: a name such as '[Click here](https://…)' or '**URGENT**' must read as typed,
 * not become a link or bold text. Input values are never rendered as Markdown and are not escaped.
 */
const inlineMarkdown = /[\\`*_~[\]()#<>|]/g;
/** A list item, a numbered item or a quote at the start of a line. */
const lineStartMarkdown = /^(\s*)([-+>]|\d+[.)])(?=\s)/gm;

export function escapeMarkdown(text: string): string {
  return text.replace(inlineMarkdown, '\\$&').replace(lineStartMarkdown, '$1\\$2');
}
