"""Amenity (table amenities): name (128, required); linked to places by place_amenity."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base_model import BaseModel

if TYPE_CHECKING:
    from models.place import Place


class Amenity(BaseModel):
    """Something a place offers (Wifi, Pool...)."""

    __tablename__ = "amenities"

    name: Mapped[str] = mapped_column(String(128), nullable=False)

    # Deleting an amenity removes its place_amenity rows (ON DELETE CASCADE).
    places: Mapped[list[Place]] = relationship(
        secondary="place_amenity", back_populates="amenities", passive_deletes=True)
