import { SaxesParser } from 'saxes';

/** One element of a parsed document: its local name, namespace, attributes, children, text. */
export interface XmlElement {
  name: string;
  ns: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A document Dailies refuses to read, with why as a person reads it. */
export class XmlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlRefused';
  }
}

/** Deeper than any MHL file goes; a deeper document is an attack on the stack, not a history. */
const MAX_DEPTH = 32;

/**
 * Parses XML another tool wrote, safely: a document type declaration is refused whole (no
 * external entity is ever fetched, no entity is ever expanded, so neither XXE nor "billion
 * laughs" can happen), only the five predefined entities and character references are read,
 * and nesting is bounded. The caller bounds the size before reading.
 */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
  };
  parser.on('error', (e) => fail(new XmlRefused(`Not well-formed XML: ${e.message}`)));
  parser.on('doctype', () => {
    throw new XmlRefused(
      'The file declares a document type (DTD); an MHL file never does, so it is not read.',
    );
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) throw new XmlRefused(`Elements are nested deeper than ${MAX_DEPTH}.`);
    const attributes: Record<string, string> = {};
    for (const a of Object.values(tag.attributes))
      if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attributes[a.local] = a.value;
    const element: XmlElement = { name: tag.local, ns: tag.uri, attributes, children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('closetag', () => void stack.pop());
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof XmlRefused) throw error;
    throw new XmlRefused(`Not well-formed XML: ${(error as Error).message}`);
  }
  if (failure) throw failure;
  if (!root) throw new XmlRefused('The file holds no XML element.');
  return root;
}

/** The children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** Text of the child `name`, trimmed; undefined when absent. */
export function childText(element: XmlElement, name: string): string | undefined {
  return childNamed(element, name)?.text.trim();
}

/** Escapes text for an element's content or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
