import { Badge, Button, Drawer, Modal, NavLink, Paper, Table, Tooltip, createTheme, type MantineColorsTuple } from '@mantine/core';

/** A muted slate blue: calm for eight-hour shifts, strong enough for focus rings and active rows. */
const slateBlue: MantineColorsTuple = [
  '#eef3fb',
  '#dbe3f1',
  '#b3c4e2',
  '#88a3d3',
  '#6587c6',
  '#4f75bf',
  '#436cbd',
  '#355ba7',
  '#2d5196',
  '#204585',
];

/**
 * Back-office density (Odoo-like): 13px body text, compact inputs, small radii. Fonts are the
 * operating system's own, so the app looks at home on the branch's Windows PCs and loads nothing.
 */
export const theme = createTheme({
  primaryColor: 'slateBlue',
  colors: { slateBlue },
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'sm',
  fontFamily: '"Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: '"Cascadia Mono", Consolas, "SFMono-Regular", Menlo, monospace',
  fontSizes: { xs: '0.75rem', sm: '0.8125rem', md: '0.875rem', lg: '1rem', xl: '1.125rem' },
  headings: {
    fontWeight: '600',
    sizes: {
      h1: { fontSize: '1.5rem', lineHeight: '1.3' },
      h2: { fontSize: '1.25rem', lineHeight: '1.3' },
      h3: { fontSize: '1.125rem', lineHeight: '1.35' },
      h4: { fontSize: '1rem', lineHeight: '1.4' },
    },
  },
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    Button: Button.extend({ defaultProps: { size: 'sm' } }),
    Badge: Badge.extend({ defaultProps: { radius: 'sm' } }),
    Table: Table.extend({ defaultProps: { verticalSpacing: 6, fz: 'sm' } }),
    Paper: Paper.extend({ defaultProps: { radius: 'md' } }),
    Tooltip: Tooltip.extend({ defaultProps: { openDelay: 400, withArrow: true } }),
    Drawer: Drawer.extend({ defaultProps: { position: 'right', size: 'lg', padding: 'md' } }),
    Modal: Modal.extend({ defaultProps: { centered: true } }),
    NavLink: NavLink.extend({ styles: { root: { borderRadius: 'var(--mantine-radius-sm)' } } }),
  },
});
