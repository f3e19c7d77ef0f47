"""The plan as data. Never imports textual."""

from .convert import NotAPlan, Problem, from_data, to_data
from .plan import Plan
from .questions import Question, QuestionBank, load_bank

__all__ = ["NotAPlan", "Plan", "Problem", "Question", "QuestionBank", "from_data", "load_bank", "to_data"]
