/** A right-click menu: arrow keys move, Enter picks, Escape or a click elsewhere closes. */
import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import './context-menu.css';

export interface MenuItem {
  label: string;
  icon?: ReactNode;
  onSelect: () => void;
  disabled?: boolean;
  danger?: boolean;
  shortcut?: string;
  /** Draws a line above this item. */
  separator?: boolean;
}

export interface MenuState {
  x: number;
  y: number;
  label: string;
  items: MenuItem[];
}

export function ContextMenu({ menu, onClose }: { menu: MenuState; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: menu.x, top: menu.y });
  // What had focus before the menu (the row's table, a toolbar button): it gets focus back when
  // the menu closes, so a dialog opened from the menu returns there too.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const restoreFocus = () => {
    if (opener?.isConnected) opener.focus({ preventScroll: true });
  };

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    setPosition({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - rect.width - 4)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - rect.height - 4)),
    });
    el.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
  }, [menu.x, menu.y]);

  useEffect(() => {
    const close = (event: Event) => {
      if (ref.current && event.target instanceof Node && ref.current.contains(event.target)) return;
      onClose();
    };
    window.addEventListener('mousedown', close, true);
    window.addEventListener('resize', onClose);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('mousedown', close, true);
      window.removeEventListener('resize', onClose);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);

  const move = (delta: number) => {
    const items = [
      ...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []),
    ];
    const index = items.indexOf(document.activeElement as HTMLElement);
    items[(index + delta + items.length) % items.length]?.focus();
  };

  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={menu.label}
      style={{ left: position.left, top: position.top }}
      onContextMenu={(event) => event.preventDefault()}
      onKeyDown={(event) => {
        if (event.key === 'ArrowDown') move(1);
        else if (event.key === 'ArrowUp') move(-1);
        else if (event.key === 'Escape') {
          restoreFocus();
          onClose();
        } else if (event.key === 'Tab') onClose();
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      {menu.items.map((item) => (
        <div key={item.label} className={item.separator ? 'menu__group' : undefined}>
          <button
            type="button"
            role="menuitem"
            className={`menu__item ${item.danger ? 'menu__item--danger' : ''}`}
            disabled={item.disabled}
            onClick={() => {
              restoreFocus();
              onClose();
              item.onSelect();
            }}
          >
            <span className="menu__icon">{item.icon}</span>
            <span className="menu__label">{item.label}</span>
            {item.shortcut && <kbd className="menu__shortcut">{item.shortcut}</kbd>}
          </button>
        </div>
      ))}
    </div>
  );
}
