"""One module per screen: a pure function that draws its frozen view onto a canvas."""
