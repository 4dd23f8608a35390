"""Place (table places) and the place_amenity link table.

places: city_id (FK cities), user_id (FK users), name (128, required),
description (1024), number_rooms, number_bathrooms, max_guest, price_by_night
(int, default 0), latitude, longitude (float); amenities through place_amenity
(place_id, amenity_id); has reviews.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base_model import MYSQL_TABLE_ARGS, Base, BaseModel, children, parent_id

# MySQL's FLOAT is single precision (37.7749 comes back as 37.7749); DOUBLE
# keeps a coordinate exactly as Python's float (and file.json) has it.
Coordinate = Float().with_variant(mysql.DOUBLE(asdecimal=False), "mysql", "mariadb")

if TYPE_CHECKING:
    from models.amenity import Amenity
    from models.city import City
    from models.review import Review
    from models.user import User

# A link disappears with either of its ends.
place_amenity = Table(
    "place_amenity", Base.metadata,
    Column("place_id", String(60), ForeignKey("places.id", ondelete="CASCADE"),
           primary_key=True),
    Column("amenity_id", String(60), ForeignKey("amenities.id", ondelete="CASCADE"),
           primary_key=True, index=True),
    **MYSQL_TABLE_ARGS,
)


class Place(BaseModel):
    """A place to rent, in a city, owned by a user."""

    __tablename__ = "places"

    city_id: Mapped[str] = parent_id("cities")
    user_id: Mapped[str] = parent_id("users")
    name: Mapped[str] = mapped_column(String(128), nullable=False)
    description: Mapped[Optional[str]] = mapped_column(String(1024))
    number_rooms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    number_bathrooms: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    max_guest: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    price_by_night: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    latitude: Mapped[Optional[float]] = mapped_column(Coordinate)
    longitude: Mapped[Optional[float]] = mapped_column(Coordinate)

    city: Mapped[City] = relationship(back_populates="places")
    user: Mapped[User] = relationship(back_populates="places")
    reviews: Mapped[list[Review]] = children("place")
    amenities: Mapped[list[Amenity]] = relationship(
        secondary=place_amenity, back_populates="places", passive_deletes=True)
