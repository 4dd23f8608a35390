"""Exercise packs: each exercise of the track a folder of data (exercises/<id>/),
read by one check engine for `make check`, the hints, the solutions and `make grade`."""
