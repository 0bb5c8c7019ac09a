"""The shared synthetic town that every lesson scores.

Everything here is invented. The distributions are plausible but are not a claim about China,
any other country or any real place; no real person's data is used anywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "DISTRICTS", "INCOME_BANDS", "make_town", "make_ties"]

DISTRICTS = ["Old Town", "Riverside", "Millbrook", "Eastfield", "Harbourside", "Hilltop"]
INCOME_BANDS = ["low", "lower-middle", "middle", "upper-middle", "high"]
OCCUPATIONS = [
    "office", "trades", "service", "farming", "self-employed", "student", "retired", "unemployed",
]
PURCHASES = [
    "groceries", "household", "clothing", "electronics", "video games", "travel", "baby goods",
]

# One place for what each column means: the notebooks, the dataset schema and the tests read this.
COLUMNS: dict[str, str] = {
    "person_id": "Resident's number, 1 to n; unique.",
    "household_id": "Number of the household the resident lives in; members of a household share a district.",
    "household_size": "Number of residents in the household (1 to 6).",
    "age": "Age in years (18 to 90).",
    "district": "One of six invented districts.",
    "income_band": "Household income band, from low to high.",
    "occupation": "Main occupation (retired from about 63; students are under 30).",
    "has_smartphone": "Owns a smartphone (older residents less often), which app-based schemes need.",
    "court_judgment": "A court has ordered the resident to pay a debt (any time in the last five years).",
    "judgment_amount": "Amount owed under that judgment, in invented currency units; 0 when there is none.",
    "able_to_pay": "Could pay the judgment from income or assets; false when there is no judgment.",
    "judgment_paid": "Has paid the judgment in full; false when there is no judgment.",
    "obstructed_enforcement": "Hid assets or otherwise obstructed the court's enforcement.",
    "traffic_violations": "Traffic offences recorded in the last year.",
    "other_violations": "Other minor offences (littering, noise) recorded in the last year.",
    "volunteer_hours": "Hours of recorded volunteering in the last year.",
    "donations": "Recorded charitable donations in the last year, in invented currency units.",
    "civic_awards": "Civic awards or commendations received (for example a 'good neighbour' award).",
    "monthly_spend": "Average monthly spending, in invented currency units.",
    "main_purchase_category": "Category of the resident's largest share of purchases.",
    "has_credit_file": "Has a file at a credit bureau; people with none cannot get a conventional score.",
    "credit_accounts": "Number of open credit accounts (cards, loans); 0 without a credit file.",
    "missed_payments": "Payments more than 30 days late in the last seven years.",
    "credit_utilisation": "Share of available credit in use, 0 to 1.",
    "credit_history_years": "Years since the oldest credit account was opened.",
    "recent_inquiries": "Applications for new credit in the last year.",
    "friend_count": "Number of friendship ties the resident has in the town (see make_ties).",
    "has_symptoms": "Reports symptoms of an infectious illness this week.",
    "contact_with_case": "Was in close contact with a confirmed case this week.",
    "travelled_to_risk_area": "Travelled to an area flagged as high-risk this fortnight.",
    "infected": "Actually infected (the ground truth that a health code can only estimate).",
    "consents_to_optional_scheme": "Would opt in to a voluntary points scheme if asked.",
}


def _categorical(codes: np.ndarray, categories: list[str], ordered: bool = False) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=categories, ordered=ordered)


def make_town(n: int = 10_000, seed: int = 0) -> pd.DataFrame:
    """Make the synthetic town: one row per resident, same output for the same n and seed."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive whole number of residents, not {n!r}.")
    rng = np.random.default_rng(seed)

    def uniform() -> np.ndarray:
        # float32 draws are enough for yes/no decisions and twice as fast at a million residents
        return rng.random(n, dtype=np.float32)

    # Households first, so that members share a district and an income band.
    sizes = rng.choice(np.arange(1, 7), size=n, p=[0.25, 0.32, 0.2, 0.14, 0.06, 0.03])
    household = np.repeat(np.arange(n), sizes)[:n]
    n_households = household[-1] + 1
    household_size = np.bincount(household, minlength=n_households)[household]
    hh_district = rng.choice(len(DISTRICTS), size=n_households, p=[0.14, 0.2, 0.18, 0.22, 0.12, 0.14])
    district = hh_district[household]
    # Districts differ in average income; a household's band is a noisy draw around it.
    district_shift = np.array([-0.5, 0.0, 0.2, -0.3, 0.6, 0.9])
    hh_income = np.clip(
        np.rint(1.7 + district_shift[hh_district] + rng.normal(0, 1.1, n_households)), 0, 4
    ).astype(int)
    income = hh_income[household]

    age = np.clip(np.rint(rng.gamma(2.4, 11.0, n) + 18), 18, 90).astype(int)

    occupation = rng.choice([0, 1, 2, 3, 4, 7], size=n, p=[0.3, 0.2, 0.24, 0.08, 0.12, 0.06])
    occupation = np.where((age < 30) & (uniform() < 0.25), 5, occupation)
    occupation = np.where((age >= 63) & (uniform() < 0.85), 6, occupation)

    has_smartphone = uniform() < np.clip(1.02 - 0.009 * np.maximum(age - 40, 0), 0.3, 0.97)

    # Court judgments: more common at lower incomes; most people who can pay, do.
    court_judgment = uniform() < np.array([0.09, 0.07, 0.05, 0.035, 0.025])[income]
    judgment_amount = np.where(
        court_judgment, np.round(rng.lognormal(9.0, 1.0, n), -1), 0.0
    )
    able_to_pay = court_judgment & (uniform() < np.array([0.25, 0.4, 0.55, 0.7, 0.85])[income])
    judgment_paid = court_judgment & (uniform() < np.where(able_to_pay, 0.7, 0.25))
    obstructed = court_judgment & ~judgment_paid & (uniform() < 0.12)

    young = age < 30
    traffic = rng.poisson(np.where(young, 0.5, 0.25))
    other = rng.poisson(0.15, n)

    volunteer_hours = np.where(
        uniform() < 0.3 + 0.05 * income, np.round(rng.gamma(1.5, 14, n)), 0
    ).astype(int)
    donations = np.where(
        uniform() < 0.2 + 0.1 * income, np.round(rng.lognormal(4.5 + 0.4 * income, 0.8)), 0.0
    )
    civic_awards = rng.poisson(0.02 + volunteer_hours / 400)

    monthly_spend = np.round(rng.lognormal(7.2 + 0.3 * income, 0.4), -1)
    purchase_p = np.array([0.34, 0.18, 0.12, 0.1, 0.08, 0.1, 0.08])
    purchase = rng.choice(len(PURCHASES), size=n, p=purchase_p)
    purchase = np.where((age < 35) & (uniform() < 0.12), 4, purchase)  # more gamers among the young

    has_credit_file = uniform() < np.clip(0.4 + 0.1 * income + 0.006 * (age - 18), 0, 0.98)
    credit_accounts = np.where(has_credit_file, 1 + rng.poisson(1.5 + 0.5 * income), 0)
    missed_payments = np.where(
        has_credit_file, rng.poisson(np.array([1.2, 0.8, 0.5, 0.3, 0.2])[income]), 0
    )
    utilisation = np.where(
        has_credit_file, np.round(np.clip(rng.beta(2, 4, n) + 0.05 * (2 - income), 0, 1), 2), 0.0
    )
    history_years = np.where(
        has_credit_file, np.minimum(age - 18, np.round(rng.uniform(0.2, 1.0, n) * (age - 17))), 0
    ).astype(int)
    inquiries = np.where(has_credit_file, rng.poisson(0.8, n), 0)

    friend_count = 1 + rng.poisson(np.where(young, 7, 5))

    infected = uniform() < 0.02
    has_symptoms = uniform() < np.where(infected, 0.6, 0.05)
    contact = uniform() < np.where(infected, 0.5, 0.04)
    travelled = uniform() < np.where(infected, 0.15, 0.05)

    consents = uniform() < np.clip(0.55 + 0.05 * (income - 2) + 0.004 * (age - 45), 0.1, 0.95)

    town = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "household_id": household + 1,
            "household_size": household_size,
            "age": age,
            "district": _categorical(district, DISTRICTS),
            "income_band": _categorical(income, INCOME_BANDS, ordered=True),
            "occupation": _categorical(occupation, OCCUPATIONS),
            "has_smartphone": has_smartphone,
            "court_judgment": court_judgment,
            "judgment_amount": judgment_amount,
            "able_to_pay": able_to_pay,
            "judgment_paid": judgment_paid,
            "obstructed_enforcement": obstructed,
            "traffic_violations": traffic,
            "other_violations": other,
            "volunteer_hours": volunteer_hours,
            "donations": donations,
            "civic_awards": civic_awards,
            "monthly_spend": monthly_spend,
            "main_purchase_category": _categorical(purchase, PURCHASES),
            "has_credit_file": has_credit_file,
            "credit_accounts": credit_accounts,
            "missed_payments": missed_payments,
            "credit_utilisation": utilisation,
            "credit_history_years": history_years,
            "recent_inquiries": inquiries,
            "friend_count": friend_count,
            "has_symptoms": has_symptoms,
            "contact_with_case": contact,
            "travelled_to_risk_area": travelled,
            "infected": infected,
            "consents_to_optional_scheme": consents,
        },
        copy=False,  # the arrays are new; copying them into blocks would double the time at a million rows
    )
    assert list(town.columns) == list(COLUMNS), "COLUMNS and make_town disagree"
    return town


def make_ties(town: pd.DataFrame, seed: int = 0, reach: int = 200) -> pd.DataFrame:
    """Friendship ties as an edge list (person_id, friend_id), mostly within a district."""
    rng = np.random.default_rng(seed + 1)
    order = np.lexsort((town["person_id"].to_numpy(), town["district"].cat.codes.to_numpy()))
    ids = town["person_id"].to_numpy()[order]
    codes = town["district"].cat.codes.to_numpy()[order]
    starts = np.searchsorted(codes, codes, side="left")
    ends = np.searchsorted(codes, codes, side="right")
    picks = np.maximum(town["friend_count"].to_numpy()[order] // 2, 1)
    source = np.repeat(np.arange(len(ids)), picks)
    block = (ends - starts)[source]
    offset = rng.integers(1, max(reach, 2), size=len(source)) * rng.choice([-1, 1], size=len(source))
    target = starts[source] + (source - starts[source] + offset) % np.maximum(block, 1)
    a, b = ids[source], ids[target]
    edges = pd.DataFrame({"person_id": np.minimum(a, b), "friend_id": np.maximum(a, b)})
    edges = edges[edges["person_id"] != edges["friend_id"]].drop_duplicates()
    return edges.sort_values(["person_id", "friend_id"], ignore_index=True)


SAMPLE_ROWS = 300


def sample(rows: int = SAMPLE_ROWS) -> pd.DataFrame:
    """The spreadsheet sample shipped as datasets/town_sample.csv: the first rows of the default town."""
    return make_town(10_000, seed=0).head(rows)


def write_sample(path) -> None:
    """Write the spreadsheet sample as CSV (true/false for yes/no columns)."""
    frame = sample()
    for col in frame.select_dtypes("bool"):
        frame[col] = frame[col].map({True: "true", False: "false"})
    frame.to_csv(path, index=False)
