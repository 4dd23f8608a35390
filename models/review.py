"""Review (table reviews): place_id (FK places), user_id (FK users), text (1024, required)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base_model import BaseModel, parent_id

if TYPE_CHECKING:
    from models.place import Place
    from models.user import User


class Review(BaseModel):
    """A user's review of a place."""

    __tablename__ = "reviews"

    place_id: Mapped[str] = parent_id("places")
    user_id: Mapped[str] = parent_id("users")
    text: Mapped[str] = mapped_column(String(1024), nullable=False)

    place: Mapped[Place] = relationship(back_populates="reviews")
    user: Mapped[User] = relationship(back_populates="reviews")
