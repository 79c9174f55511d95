"""The map's t-SNE (generator/analyse/tsne.py): neighbours kept, same points every time,
and nothing imported that a cold build would pay for."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from generator.analyse.tsne import affinities, embed


def clusters(n_per: int = 40, groups: int = 4, dims: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Points around ``groups`` far-apart centres, in a fixed order."""
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(groups, dims)) * 4
    labels = np.repeat(np.arange(groups), n_per)
    return centres[labels] + rng.normal(size=(len(labels), dims)), labels


def test_points_land_beside_their_own_cluster_and_the_same_every_time():
    rows, labels = clusters()
    points = embed(rows, 15, 50, 75)
    assert points.shape == (len(rows), 2) and np.isfinite(points).all()
    far = ((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(far, np.inf)
    nearest = far.argmin(axis=1)
    assert (labels[nearest] == labels).mean() >= 0.95
    # Spread out, not left at the tiny PCA start: the clusters are apart on the map.
    assert points.std() > 1.0
    assert np.array_equal(points, embed(rows, 15, 50, 75))


def test_the_affinities_are_a_symmetric_distribution_over_near_neighbours():
    rows, _ = clusters(n_per=10)
    p = affinities(rows, 5).toarray()
    assert np.allclose(p, p.T) and np.isclose(p.sum(), 1.0) and (p >= 0).all()
    assert (p.diagonal() == 0).all() and ((p > 0).sum(axis=1) <= 2 * 15).all()


def test_laying_out_the_map_imports_no_scikit_learn():
    """openTSNE, which the map used before, imported scikit-learn and SciPy's statistics:
    more of a cold build's time than the layout itself."""
    code = (
        "import sys\n"
        "from generator.analyse.atlas import layout\n"
        "from generator.analyse.related.incremental import PaperText\n"
        "from generator.infra.cache import Cache\n"
        "words = ['diffusion images noise', 'language models chat', 'graph molecules atoms']\n"
        "texts = [PaperText(f'p{i}', f'Paper {i}', f'{words[i % 3]} {i}') for i in range(30)]\n"
        "assert len(layout(texts, 'no such model', Cache(None))) == 30\n"
        "print(sorted(m for m in ('sklearn', 'openTSNE', 'scipy.stats') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
