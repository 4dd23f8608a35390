"""State (table states): name (128, required); has cities, deleted with it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base_model import BaseModel, children

if TYPE_CHECKING:
    from models.city import City


class State(BaseModel):
    """A state; deleting it deletes its cities (and what hangs from them)."""

    __tablename__ = "states"

    name: Mapped[str] = mapped_column(String(128), nullable=False)

    cities: Mapped[list[City]] = children("state")
