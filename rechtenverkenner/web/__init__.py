"""Server-rendered pages: they work without JavaScript and on a 360-pixel-wide screen."""
