"""Pure figure builders: (data, options, theme) -> plotly Figure. No I/O, no globals, no dash."""
