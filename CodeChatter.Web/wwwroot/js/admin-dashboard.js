// Draws the admin dashboard's charts from the JSON in each canvas's data-chart attribute.
// No inline script: the CSP allows only scripts from this origin. The tables beside the charts hold the
// same figures for anyone without JavaScript.
(function () {
    'use strict';
    if (typeof Chart === 'undefined') return;

    var statusColours = {
        succeeded: '#2e7d32', failed: '#c62828', timed_out: '#ef6c00', memory_limit: '#6a1b9a',
        output_limit: '#00838f', killed: '#4e342e', rejected: '#757575', internal_error: '#ad1457', running: '#1565c0'
    };
    var palette = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#c62828', '#4e342e', '#757575'];

    function read(id) {
        var canvas = document.getElementById(id);
        if (!canvas) return null;
        try {
            return { canvas: canvas, data: JSON.parse(canvas.getAttribute('data-chart')) };
        } catch (e) {
            return null;
        }
    }

    var perDay = read('runs-per-day-chart');
    if (perDay) {
        new Chart(perDay.canvas, {
            type: 'bar',
            data: {
                labels: perDay.data.labels,
                datasets: perDay.data.datasets.map(function (set) {
                    return { label: set.status, data: set.data, backgroundColor: statusColours[set.status] || '#999' };
                })
            },
            options: {
                responsive: true, maintainAspectRatio: false, animation: false,
                scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
            }
        });
    }

    var byLanguage = read('runs-by-language-chart');
    if (byLanguage) {
        new Chart(byLanguage.canvas, {
            type: 'doughnut',
            data: {
                labels: byLanguage.data.labels,
                datasets: [{
                    data: byLanguage.data.data,
                    backgroundColor: byLanguage.data.labels.map(function (_, i) { return palette[i % palette.length]; })
                }]
            },
            options: { responsive: true, maintainAspectRatio: false, animation: false }
        });
    }
}());
