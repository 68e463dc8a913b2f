"""The programme's year after the hand-over: the branch's monthly bill reconciled with the
register, people who leave during the year, and the payments' calendar."""
