import { useEffect, useRef, useState } from 'react';
import { IconSearch } from '../../../components/icons';
import './search.css';

const SETTLE_MS = 250;

/**
 * The toolbar's search box. What is typed shows at once; the search itself follows once
 * typing pauses, so each keystroke does not become a request.
 */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const sent = useRef(value);
  // The URL changed from elsewhere (back button, a cleared search): show it. Our own search
  // coming back must not undo what was typed since.
  useEffect(() => {
    if (value !== sent.current) setText(value);
    sent.current = value;
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const settle = (next: string, now = false) => {
    clearTimeout(timer.current);
    const search = () => {
      sent.current = next;
      onSearch(next);
    };
    if (now) search();
    else timer.current = setTimeout(search, SETTLE_MS);
  };
  return (
    <form
      className="search"
      onSubmit={(event) => {
        event.preventDefault();
        settle(text, true);
      }}
    >
      <IconSearch />
      <input
        type="search"
        placeholder="Search the lake"
        aria-label="Search the lake"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          settle(event.target.value);
        }}
      />
    </form>
  );
}
