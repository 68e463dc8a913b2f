"""During the year: replacements for the people who left, drawn from the waiting list within
the budget left, and the numbered amendment to the decree that records them."""
