"""City (table cities): state_id (FK states, required), name (128, required); has places."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base_model import BaseModel, children, parent_id

if TYPE_CHECKING:
    from models.place import Place
    from models.state import State


class City(BaseModel):
    """A city of a state; deleting it deletes its places."""

    __tablename__ = "cities"

    state_id: Mapped[str] = parent_id("states")
    name: Mapped[str] = mapped_column(String(128), nullable=False)

    state: Mapped[State] = relationship(back_populates="cities")
    places: Mapped[list[Place]] = children("city")
